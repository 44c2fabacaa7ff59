import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { EarlierRequest, IdempotentRequest } from '@carthub/domain';
import { pooled } from '../connection/sql-plumbing';

/*
 * Idempotency keys live in `idempotency_keys`, so every replica sees every
 * key. Checkout reads a key and stores it, completed with its order, inside
 * the order's transaction and under the cart's row lock (orders/checkout-statements.ts):
 * every request with one key is one customer's, so they queue on that lock, and
 * a repeat waits for the first instead of being turned away. No key is ever
 * stored in flight any more; rows `in_progress` were claimed by an earlier
 * version of the service, and are honoured until abandoned.
 */

/** Keys are kept at least this long (the contract promises 24 hours); the cleanup job deletes them after. */
export const IDEMPOTENCY_TTL = '24 hours';
/** An in-flight claim older than this belongs to a request that died; a retry may take it over. */
export const IDEMPOTENCY_ABANDONED_AFTER = '60 seconds';

/**
 * Whether the stored key `k` may be taken by a request with this fingerprint
 * (SQL): it has expired, or its request died in flight and this is the same
 * request again.
 */
export const keyIsFree = (k: string, fingerprint: string) =>
  `(${k}.expires_at < now() or (${k}.state = 'in_progress' and ${k}.fingerprint = ${fingerprint}
      and ${k}.locked_at < now() - interval '${IDEMPOTENCY_ABANDONED_AFTER}'))`;

/** A stored key as checkout reads it. */
export interface StoredKey {
  readonly fingerprint: string;
  readonly state: 'in_progress' | 'completed';
  /** The public id of the order the key's request placed; null while in flight. */
  readonly placedOrderId: string | null;
  /** keyIsFree for this request. */
  readonly free: boolean;
}

/** What a stored key says to a request carrying it: undefined when the request may take it. */
export function earlierRequest(stored: StoredKey | undefined, request: IdempotentRequest): EarlierRequest | undefined {
  if (!stored || stored.free) return undefined;
  if (stored.fingerprint !== request.fingerprint) return { outcome: 'different-request' };
  if (stored.state === 'in_progress' || stored.placedOrderId === null) return { outcome: 'in-progress' };
  return { outcome: 'completed', orderId: stored.placedOrderId };
}

/** Deletes keys past their time; answers how many went. For the scheduled cleanup job. */
export async function deleteExpiredIdempotencyKeys(orm: MikroORM): Promise<number> {
  const result = await pooled(orm)
    .deleteFrom('idempotency_keys')
    .where('expires_at', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
