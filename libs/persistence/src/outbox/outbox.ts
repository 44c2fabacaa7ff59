import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { pooled } from '../connection/sql-plumbing';

/**
 * A writer may `NOTIFY carthub_outbox` in the transaction that inserts events:
 * the relay LISTENs on it to publish before its next poll (it never depends on
 * it). The service's own producers do not (see OutboxWriter); an operator or a
 * tool may, to wake an idle relay at once.
 */
export const OUTBOX_CHANNEL = 'carthub_outbox';

/** What the relay's queries need of a pg Pool or Client. */
export interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** One unpublished event, as the relay sends it. */
export interface PendingEvent {
  /** bigserial, kept as text: it may pass 2^53. */
  readonly position: string;
  readonly id: string;
  readonly type: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly sequence: number;
  /** The envelope's JSON text: the message body. */
  readonly payload: string;
}

/**
 * The oldest events waiting to be published, in commit order within each
 * aggregate (ordered by the bigint column itself: the text alias would put 10
 * before 9). Parked events are left out, and so are the later events of their
 * aggregates: those wait behind them, so no event overtakes an earlier one.
 */
export async function readUnpublishedEvents(db: Queryable, limit: number): Promise<PendingEvent[]> {
  const { rows } = await db.query<PendingEvent>(
    `select position::text as position, id, type, aggregate_type as "aggregateType", aggregate_id as "aggregateId",
            sequence, envelope::text as payload
       from outbox_events e
      where published_at is null and parked_at is null
        and not exists (select 1 from outbox_events parked
                         where parked.parked_at is not null and parked.aggregate_type = e.aggregate_type
                           and parked.aggregate_id = e.aggregate_id and parked.position < e.position)
      order by e.position limit $1`,
    [limit],
  );
  return rows;
}

/** Stamps events the broker has acknowledged. */
export async function markEventsPublished(db: Queryable, positions: readonly string[]): Promise<void> {
  if (positions.length === 0) return;
  await db.query(
    `update outbox_events set published_at = now() where position = any($1::bigint[]) and published_at is null`,
    [positions],
  );
}

/** An event the broker refused for good, and why. */
export interface RefusedEvent {
  readonly position: string;
  readonly reason: string;
}

/**
 * Sets aside events the broker will never take, so that they stop holding up
 * the others; an operator re-drives one by clearing its `parked_at` (docs/DEPLOY.md).
 */
export async function parkEvents(db: Queryable, refused: readonly RefusedEvent[]): Promise<void> {
  if (refused.length === 0) return;
  await db.query(
    `update outbox_events e set parked_at = now(), park_reason = r.reason
       from unnest($1::bigint[], $2::text[]) as r(position, reason)
      where e.position = r.position and e.published_at is null and e.parked_at is null`,
    [refused.map((event) => event.position), refused.map((event) => event.reason)],
  );
}

export interface OutboxBacklog {
  /** Unpublished events that are not parked (those waiting behind a parked one included). */
  readonly pending: number;
  /** Age of the oldest pending event; 0 when none. */
  readonly lagSeconds: number;
  /** Events parked because the broker refused them. */
  readonly parked: number;
}

export async function readOutboxBacklog(db: Queryable): Promise<OutboxBacklog> {
  const { rows } = await db.query<OutboxBacklog>(
    `select count(*) filter (where parked_at is null)::int as pending,
            coalesce(greatest(extract(epoch from now() - min(occurred_at) filter (where parked_at is null)), 0), 0)::float8
              as "lagSeconds",
            count(*) filter (where parked_at is not null)::int as parked
       from outbox_events where published_at is null`,
  );
  return rows[0];
}

/**
 * How long the first event in line to be published has waited (0 when none):
 * one step into the unpublished index, cheap enough for every scrape. It grows
 * while no relay publishes, and while events wait behind a parked one.
 */
export async function readOldestPendingEventAge(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ age: number }>(
    `select greatest(extract(epoch from now() - occurred_at), 0)::float8 as age
       from outbox_events where published_at is null and parked_at is null order by position limit 1`,
  );
  return rows[0]?.age ?? 0;
}

/** Published events are kept this long by default (OUTBOX_RETENTION_HOURS). */
export const DEFAULT_OUTBOX_RETENTION_HOURS = 168;

export interface OutboxRetention {
  readonly retentionHours: number;
  /** Rows per delete statement, so no statement holds many locks or runs long. */
  readonly batchSize?: number;
  /** Upper bound on statements per run; the next run goes on where this one stopped. */
  readonly maxBatches?: number;
}

/**
 * Deletes events published more than `retentionHours` ago, batch by batch;
 * unpublished events are never touched. Answers how many went.
 */
export async function deletePublishedOutboxEvents(
  orm: MikroORM,
  { retentionHours, batchSize = 1_000, maxBatches = 10_000 }: OutboxRetention,
): Promise<number> {
  const db = pooled(orm);
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await sql`
      delete from outbox_events where position in (
        select position from outbox_events
         where published_at is not null and published_at < now() - make_interval(hours => ${retentionHours})
         order by published_at limit ${batchSize} for update skip locked)`.execute(db);
    const count = Number(result.numAffectedRows ?? 0);
    deleted += count;
    if (count < batchSize) break;
  }
  return deleted;
}
