import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { IdempotencyClaim, IdempotencyStore, IdempotentRequest, QuotaExceededError } from '@carthub/domain';
import { Db, pooled } from '../connection/sql-plumbing';
import { translateDatabaseError } from '../connection/database-errors';

/** Keys are kept at least this long (the contract promises 24 hours); the cleanup job deletes them after. */
export const IDEMPOTENCY_TTL = '24 hours';
/** An in-flight claim older than this belongs to a request that died; a retry may take it over. */
export const IDEMPOTENCY_ABANDONED_AFTER = '60 seconds';

interface KeyRow {
  fingerprint: string;
  state: 'in_progress' | 'completed';
  /** The public id of the order the key's request placed; null while in flight. */
  placed_order_id: string | null;
}

export interface IdempotencyQuotas {
  /** Most unexpired keys one customer may hold (each is kept 24 hours); unset, no limit. */
  readonly liveKeysPerCustomer?: number;
}

/** Idempotency keys in PostgreSQL, so every replica sees every claim. */
export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly quotas: IdempotencyQuotas = {},
  ) {}

  async claim(customerId: string, request: IdempotentRequest): Promise<IdempotencyClaim> {
    const db = pooled(this.orm);
    try {
      if (this.quotas.liveKeysPerCustomer) {
        await assertRoomForKey(db, customerId, request.key, this.quotas.liveKeysPerCustomer);
      }
      // A released key can vanish between the two statements; then simply try again.
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await insertClaim(db, customerId, request)) return { outcome: 'claimed' };
        const existing = await findKey(db, customerId, request.key);
        if (existing) return judge(existing, request);
      }
      return { outcome: 'in-progress' };
    } catch (error) {
      return translateDatabaseError(error);
    }
  }

  async release(customerId: string, request: IdempotentRequest): Promise<void> {
    await pooled(this.orm)
      .deleteFrom('idempotency_keys')
      .where('customer_id', '=', customerId)
      .where('key', '=', request.key)
      .where('state', '=', 'in_progress')
      .execute()
      .catch(translateDatabaseError);
  }
}

/**
 * Refuses a new key while the customer holds `max` unexpired others; the key
 * itself does not count, so a retry of a stored request is always answered.
 * Checked before the claim, not with it: racing claims may pass it together,
 * which overshoots by at most the requests in flight at that moment.
 */
async function assertRoomForKey(db: Db, customerId: string, key: string, max: number): Promise<void> {
  const { live, wait_ms } = await db
    .selectFrom('idempotency_keys')
    .select([
      sql<number>`count(*)::int`.as('live'),
      sql<number | null>`extract(epoch from min(expires_at) - now()) * 1000`.as('wait_ms'),
    ])
    .where('customer_id', '=', customerId)
    .where('key', '<>', key)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirstOrThrow();
  if (live >= max) throw new QuotaExceededError('open idempotency keys', Number(wait_ms) / 1000);
}

/** Takes the key when it is new, expired, or abandoned by a request that died mid-way. */
async function insertClaim(db: Db, customerId: string, request: IdempotentRequest): Promise<boolean> {
  const { rows } = await sql`
    insert into idempotency_keys as k (customer_id, key, fingerprint, state, expires_at)
    values (${customerId}, ${request.key}, ${request.fingerprint}, 'in_progress', now() + ${IDEMPOTENCY_TTL}::interval)
    on conflict (customer_id, key) do update
       set fingerprint = excluded.fingerprint, state = 'in_progress', order_id = null,
           locked_at = now(), created_at = now(), expires_at = excluded.expires_at
     where k.expires_at < now()
        or (k.state = 'in_progress' and k.fingerprint = excluded.fingerprint
            and k.locked_at < now() - ${IDEMPOTENCY_ABANDONED_AFTER}::interval)
    returning 1`.execute(db);
  return rows.length === 1;
}

async function findKey(db: Db, customerId: string, key: string): Promise<KeyRow | undefined> {
  return db
    .selectFrom('idempotency_keys as k')
    .leftJoin('orders as o', 'o.id', 'k.order_id')
    .select(['k.fingerprint', 'k.state', 'o.order_id as placed_order_id'])
    .where('k.customer_id', '=', customerId)
    .where('k.key', '=', key)
    .executeTakeFirst();
}

function judge(existing: KeyRow, request: IdempotentRequest): IdempotencyClaim {
  if (existing.fingerprint !== request.fingerprint) return { outcome: 'different-request' };
  if (existing.state === 'in_progress' || existing.placed_order_id === null) return { outcome: 'in-progress' };
  return { outcome: 'completed', orderId: existing.placed_order_id };
}

/** Marks the key done with the order its request placed, inside the transaction that placed it. */
export async function completeKey(db: Db, customerId: string, request: IdempotentRequest, orderId: string) {
  await db
    .updateTable('idempotency_keys')
    .set((eb) => ({
      state: 'completed',
      order_id: eb.selectFrom('orders').select('id').where('order_id', '=', orderId),
    }))
    .where('customer_id', '=', customerId)
    .where('key', '=', request.key)
    .execute();
}

/** Deletes keys past their time; answers how many went. For the scheduled cleanup job. */
export async function deleteExpiredIdempotencyKeys(orm: MikroORM): Promise<number> {
  const result = await pooled(orm)
    .deleteFrom('idempotency_keys')
    .where('expires_at', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
