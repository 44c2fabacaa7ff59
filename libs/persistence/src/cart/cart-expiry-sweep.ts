import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { CartTtls, GUEST_ID_PREFIX } from '@carthub/domain';
import { cartOutboxEvent, NewEvent, OutboxWriter } from '../outbox/outbox-writer';
import { discard, epochMs, inTransaction, keep } from '../connection/sql-plumbing';

/** At most this many carts are emptied per transaction, so no batch holds its locks for long. */
export const EXPIRY_BATCH_SIZE = 1_000;
// A bound on the loop: far more batches than any table needs, so a fault can never spin forever.
const MAX_BATCHES = 100_000;

/**
 * Empties every cart past its expiry (a cart with lines whose last change is
 * older than its TTL): version +1 and a `cart.expired` event each, in batches
 * of at most EXPIRY_BATCH_SIZE carts per transaction. Rows a live request
 * holds are skipped (never waited on), and each cart's expiry is checked again
 * under its lock, so a cart touched meanwhile is left alone. Answers how many
 * carts were emptied.
 */
export async function expireCarts(
  orm: MikroORM,
  outbox: OutboxWriter,
  ttls: CartTtls,
  batchSize = EXPIRY_BATCH_SIZE,
): Promise<number> {
  let emptied = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const { locked, expired } = await expireBatch(orm, outbox, ttls, Math.min(batchSize, EXPIRY_BATCH_SIZE));
    emptied += expired;
    if (locked === 0) break;
  }
  return emptied;
}

async function expireBatch(orm: MikroORM, outbox: OutboxWriter, ttls: CartTtls, limit: number) {
  return inTransaction(orm, async (db) => {
    const { rows: locked } = await sql<{ id: number }>`
      select c.id from carts c
       where ${isExpired(ttls)}
       order by c.id
       limit ${limit}
       for update of c skip locked`.execute(db);
    if (locked.length === 0) return discard({ locked: 0, expired: 0 });
    // The lock is held now: read the cart as last committed, and empty it only if it is still expired.
    const { rows: expired } = await sql<{ id: number; customer_id: string; version: number; updated_ms: number }>`
      update carts c set version = c.version + 1, updated_at = now()
       where c.id = any(${locked.map((row) => row.id)}::bigint[]) and ${isExpired(ttls)}
       returning c.id, c.customer_id, c.version, ${epochMs('c.updated_at')} as updated_ms`.execute(db);
    if (expired.length > 0) {
      await db
        .deleteFrom('cart_items')
        .where('cart_id', '=', sql<number>`any(${expired.map((row) => row.id)}::bigint[])`)
        .execute();
      await outbox.write(db, expired.map(expiredEvent));
    }
    return keep({ locked: locked.length, expired: expired.length });
  });
}

/** A cart with lines whose last change is older than its TTL (the same rule as CartExpiry's). */
function isExpired(ttls: CartTtls) {
  return sql<boolean>`c.updated_at + make_interval(secs => case when starts_with(c.customer_id, ${GUEST_ID_PREFIX})
      then ${ttls.guestTtlSeconds}::int else ${ttls.customerTtlSeconds}::int end) <= now()
    and exists (select 1 from cart_items i where i.cart_id = c.id)`;
}

function expiredEvent(row: { customer_id: string; version: number; updated_ms: number }): NewEvent {
  return cartOutboxEvent(
    row.customer_id,
    { version: row.version, updatedAt: new Date(row.updated_ms) },
    {
      type: 'cart.expired',
    },
  );
}
