import { PendingEvent } from '@carthub/persistence';

export interface BatchResult {
  /** Positions of the events JetStream acknowledged. */
  readonly published: string[];
  /** The first failure, when any publish failed. */
  readonly failure?: unknown;
}

/**
 * Publishes a batch read in position order. Each aggregate's events go one
 * after another, the next only once the previous one is acknowledged, so an
 * aggregate's sequence N+1 never reaches the stream before N; different
 * aggregates go at once. A failed publish stops its aggregate for this batch
 * (the rest of it is read again next round); `mayPublish` turning false (the
 * lock is gone) stops every aggregate before its next publish.
 */
export async function publishBatch(
  events: readonly PendingEvent[],
  publish: (event: PendingEvent) => Promise<void>,
  mayPublish: () => boolean,
): Promise<BatchResult> {
  const byAggregate = new Map<string, PendingEvent[]>();
  for (const event of events) {
    const key = `${event.aggregateType}:${event.aggregateId}`;
    const chain = byAggregate.get(key);
    if (chain) chain.push(event);
    else byAggregate.set(key, [event]);
  }
  const published: string[] = [];
  const failures: unknown[] = [];
  await Promise.all(
    [...byAggregate.values()].map(async (chain) => {
      for (const event of chain) {
        if (!mayPublish()) return;
        try {
          await publish(event);
        } catch (error) {
          failures.push(error);
          return;
        }
        published.push(event.position);
      }
    }),
  );
  return failures.length > 0 ? { published, failure: failures[0] } : { published };
}
