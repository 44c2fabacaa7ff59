import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { DomainEvent, EventSerializer } from '@carthub/domain';
import { OUTBOX_CHANNEL } from './outbox';
import { Db } from '../connection/sql-plumbing';

/** An event before the outbox gives it its id. */
export type NewEvent = DomainEvent extends infer E ? (E extends DomainEvent ? Omit<E, 'id'> : never) : never;

/** An event with its id and its envelope's JSON text: a row of the outbox. */
export interface OutboxRow {
  readonly event: DomainEvent;
  readonly envelope: string;
}

/**
 * Writes events into the outbox inside the caller's transaction, so an event
 * exists exactly when its change does. One statement for all of a change's
 * events, which also wakes the relay (NOTIFY is delivered at commit).
 */
export class OutboxWriter {
  constructor(private readonly serialize: EventSerializer) {}

  /** Gives the event its id and its envelope, for a statement that writes it itself. */
  row(event: NewEvent): OutboxRow {
    const withId = { ...event, id: randomUUID() } as DomainEvent;
    return { event: withId, envelope: JSON.stringify(this.serialize(withId)) };
  }

  async write(db: Db, events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((event) => this.row(event));
    // Hand-written: one unnest insert for every event, and the wake-up riding on the same statement.
    await sql`
      with written as (
        insert into outbox_events (id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope)
        select * from unnest(
          ${rows.map((r) => r.event.id)}::uuid[], ${rows.map((r) => r.event.change.type)}::text[],
          ${rows.map((r) => r.event.aggregateType)}::text[], ${rows.map((r) => r.event.aggregateId)}::text[],
          ${rows.map((r) => r.event.sequence)}::int[], ${rows.map((r) => r.event.occurredAt.toISOString())}::timestamptz[],
          ${rows.map((r) => r.envelope)}::jsonb[])
        returning 1)
      select pg_notify(${OUTBOX_CHANNEL}, '') from written limit 1`.execute(db);
  }
}
