import { randomUUID } from 'node:crypto';
import { queryDatabase } from './test-database';

export interface TestEvent {
  readonly id: string;
  readonly type: string;
  readonly aggregateType: 'cart' | 'order' | 'stock';
  readonly aggregateId: string;
  readonly sequence: number;
  readonly occurredAt: string;
  /** The envelope as the contract defines it. */
  readonly envelope: Record<string, unknown>;
}

/** An event in the contract's envelope, for tests that arrange outbox rows before the writers exist. */
export function testEvent(
  aggregateId: string,
  sequence: number,
  {
    aggregateType = 'cart',
    type = 'cart.item_added',
    occurredAt = new Date(),
    data = { product_id: 'p-1', line: null },
  } = {} as {
    aggregateType?: 'cart' | 'order' | 'stock';
    type?: string;
    occurredAt?: Date;
    /** The envelope's `data`: a large one makes an event the broker refuses. */
    data?: object;
  },
): TestEvent {
  const id = randomUUID();
  const at = occurredAt.toISOString();
  return {
    id,
    type,
    aggregateType,
    aggregateId,
    sequence,
    occurredAt: at,
    envelope: {
      id,
      type,
      aggregate_type: aggregateType,
      aggregate_id: aggregateId,
      sequence,
      occurred_at: at,
      schema_version: 1,
      data,
    },
  };
}

/**
 * `perAggregate` events for each of `aggregates` carts, interleaved the way
 * concurrent writers commit them (every cart's first event, then every second…).
 */
export function testEventBurst(prefix: string, aggregates: number, perAggregate: number): TestEvent[] {
  const events: TestEvent[] = [];
  for (let sequence = 1; sequence <= perAggregate; sequence++) {
    for (let aggregate = 1; aggregate <= aggregates; aggregate++) {
      events.push(testEvent(`${prefix}-${aggregate}`, sequence));
    }
  }
  return events;
}

/** Inserts the events in the given order (so `position` follows it), unpublished unless `publishedAt` is given. */
export async function insertOutboxEvents(
  url: string,
  events: readonly TestEvent[],
  publishedAt: Date | null = null,
): Promise<void> {
  for (let start = 0; start < events.length; start += 5_000) {
    const chunk = events.slice(start, start + 5_000);
    await queryDatabase(
      url,
      `insert into outbox_events (id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope, published_at)
       select id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope, $8
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::jsonb[])
              with ordinality as e(id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope, n)
        order by n`,
      [
        chunk.map((event) => event.id),
        chunk.map((event) => event.type),
        chunk.map((event) => event.aggregateType),
        chunk.map((event) => event.aggregateId),
        chunk.map((event) => event.sequence),
        chunk.map((event) => event.occurredAt),
        chunk.map((event) => JSON.stringify(event.envelope)),
        publishedAt,
      ],
    );
  }
}
