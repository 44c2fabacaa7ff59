import { randomUUID } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { CartEvent, DomainEvent, EventSerializer, OrderSnapshot, orderEventOf } from '@carthub/domain';
import { Db } from '../connection/sql-plumbing';

/** An event before the outbox gives it its id. */
export type NewEvent = DomainEvent extends infer E ? (E extends DomainEvent ? Omit<E, 'id'> : never) : never;

/** An event with its id and its envelope's JSON text: a row of the outbox. */
export interface OutboxRow {
  readonly event: DomainEvent;
  readonly envelope: string;
}

/** A cart's change as the outbox numbers it: by the version the change gave the cart, at the time it did. */
export function cartOutboxEvent(
  customerId: string,
  cart: { readonly version: number; readonly updatedAt: Date },
  change: CartEvent,
): NewEvent {
  return { aggregateType: 'cart', aggregateId: customerId, sequence: cart.version, occurredAt: cart.updatedAt, change };
}

/** An order's change (its placement included), as `domain` names it, numbered by the order's version. */
export function orderOutboxEvent(order: OrderSnapshot): NewEvent {
  return {
    aggregateType: 'order',
    aggregateId: order.orderId,
    sequence: order.version,
    occurredAt: order.updatedAt,
    change: orderEventOf(order),
  };
}

/**
 * The one statement that writes outbox rows: `rows` is a query answering
 * (id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope)
 * per event. The writer below fills it from parameters; the cart's
 * version-guarded write fills it from the cart row it writes (its event's
 * time is the cart's updated_at, which only that statement knows), and
 * checkout's order.placed beside it from the order row it writes.
 */
export const insertOutboxRows = (rows: string) =>
  `insert into outbox_events (id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope) ${rows}`;

/** The rows of `insertOutboxRows` from seven parameters of the given numbers, one array element per event. */
const UNNEST_ROWS = (first: number) =>
  `select * from unnest($${first}::uuid[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::text[],
     $${first + 4}::int[], $${first + 5}::timestamptz[], $${first + 6}::jsonb[])`;

/**
 * Writes events into the outbox inside the caller's transaction, so an event
 * exists exactly when its change does. Every producer goes through it: one
 * statement for all of a change's events, or its rows in a statement of the
 * producer's own (`row`, `insertOutboxRows`). None NOTIFYs the relay: a
 * notifying commit waits for every other one in the cluster, and the relay's
 * poll (RELAY_POLL_MS) finds the events.
 */
export class OutboxWriter {
  constructor(private readonly serialize: EventSerializer) {}

  /** Gives the event its id and its envelope, for a statement that writes it itself. */
  row(event: NewEvent): OutboxRow {
    const withId = { ...event, id: randomUUID() } as DomainEvent;
    return { event: withId, envelope: JSON.stringify(this.serialize(withId)) };
  }

  /** The parameters of `insertOutboxRows(UNNEST_ROWS)`, in its order. */
  parameters(events: readonly NewEvent[]): unknown[] {
    const rows = events.map((event) => this.row(event));
    return [
      rows.map((r) => r.event.id),
      rows.map((r) => r.event.change.type),
      rows.map((r) => r.event.aggregateType),
      rows.map((r) => r.event.aggregateId),
      rows.map((r) => r.event.sequence),
      rows.map((r) => r.event.occurredAt.toISOString()),
      rows.map((r) => r.envelope),
    ];
  }

  async write(db: Db, events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    const parameters = this.parameters(events);
    await db.executeQuery(CompiledQuery.raw(insertOutboxRows(UNNEST_ROWS(1)), parameters));
  }
}
