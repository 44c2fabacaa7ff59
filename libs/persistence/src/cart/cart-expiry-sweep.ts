import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { Cart, CartTtls, GUEST_ID_PREFIX } from '@carthub/domain';
import { OutboxWriter } from '../outbox/outbox-writer';
import { writeCart } from './cart-statements';
import { discard, inTransaction, keep } from '../connection/sql-plumbing';

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
  return inTransaction(orm, async (db, client) => {
    // Rows a live request holds are skipped; a row changed since the scan began is checked again under its lock.
    const { rows: locked } = await sql<{ customer_id: string; version: number }>`
      select c.customer_id, c.version from carts c
       where ${isExpired(ttls)}
       order by c.id
       limit ${limit}
       for update of c skip locked`.execute(db);
    if (locked.length === 0) return discard({ locked: 0, expired: 0 });
    for (const { customer_id, version } of locked) {
      const cart = Cart.restore({ customerId: customer_id, version, lines: [], createdAt: null, updatedAt: null });
      cart.expire();
      // Locked at this version, so the store's version-guarded write cannot miss.
      if (!(await writeCart(client, outbox, cart))) throw new Error(`expired cart ${customer_id} moved under its lock`);
    }
    return keep({ locked: locked.length, expired: locked.length });
  });
}

/** A cart with lines whose last change is older than its TTL (the same rule as CartExpiry's). */
function isExpired(ttls: CartTtls) {
  return sql<boolean>`c.updated_at + make_interval(secs => case when starts_with(c.customer_id, ${GUEST_ID_PREFIX})
      then ${ttls.guestTtlSeconds}::int else ${ttls.customerTtlSeconds}::int end) <= now()
    and exists (select 1 from cart_items i where i.cart_id = c.id)`;
}
