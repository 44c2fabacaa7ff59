import { PendingEvent } from '@carthub/persistence';
import { EventRefused } from './refusal';

export interface BatchResult {
  /** Positions of the events JetStream acknowledged. */
  readonly published: string[];
  /** Events the broker refused for good (EventRefused): to park. */
  readonly refused: { readonly event: PendingEvent; readonly reason: string }[];
  /** The first other failure, when any publish failed otherwise. */
  readonly failure?: unknown;
}

/**
 * Publishes a batch read in position order. Each aggregate's events go one
 * after another, the next only once the previous one is acknowledged, so an
 * aggregate's sequence N+1 never reaches the stream before N; different
 * aggregates go at once. A failed or refused publish stops its aggregate for
 * this batch (the rest of it is read again next round, or waits behind the
 * parked event); `mayPublish` turning false (the lock is gone) stops every
 * aggregate before its next publish.
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
  const refused: BatchResult['refused'] = [];
  const failures: unknown[] = [];
  await Promise.all(
    [...byAggregate.values()].map(async (chain) => {
      for (const event of chain) {
        if (!mayPublish()) return;
        try {
          await publish(event);
        } catch (error) {
          if (error instanceof EventRefused) refused.push({ event, reason: error.message });
          else failures.push(error);
          return;
        }
        published.push(event.position);
      }
    }),
  );
  return failures.length > 0 ? { published, refused, failure: failures[0] } : { published, refused };
}
