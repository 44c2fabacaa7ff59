import { sql } from 'kysely';
import { CartChanges, CartSnapshot, centsToDecimalText } from '@carthub/domain';
import { toLine } from './line-row';
import { Db, epochMs } from './sql-plumbing';

/** The cart row as locked, before any change of this transaction. */
export interface LockedCartRow {
  id: number;
  version: number;
  created_ms: number;
  updated_ms: number;
}

/**
 * Takes the cart's row lock, creating the row if absent, in one statement:
 * writers of one cart queue up here. The no-op update is what takes the lock
 * on a row that exists; the version moves only when changes are written.
 */
export async function lockCart(db: Db, customerId: string): Promise<LockedCartRow> {
  const { rows } = await sql<LockedCartRow>`
    insert into carts as c (customer_id) values (${customerId})
    on conflict (customer_id) do update set customer_id = excluded.customer_id
    returning c.id, c.version, ${epochMs('c.created_at')} as created_ms, ${epochMs('c.updated_at')} as updated_ms`.execute(
    db,
  );
  return rows[0];
}

export async function loadCart(db: Db, customerId: string, locked: LockedCartRow): Promise<CartSnapshot> {
  const rows = await db
    .selectFrom('cart_items')
    .select(['product_id', 'product_name', 'price', 'quantity'])
    .where('cart_id', '=', locked.id)
    .orderBy('id')
    .execute();
  // A row whose version is still 0 was created by this very lock: the cart has never been stored.
  const stored = locked.version > 0;
  return {
    customerId,
    version: locked.version,
    createdAt: stored ? new Date(locked.created_ms) : null,
    updatedAt: stored ? new Date(locked.updated_ms) : null,
    lines: rows.map(toLine),
  };
}

export async function writeChanges(db: Db, cartId: number, changes: CartChanges): Promise<void> {
  if (changes.cleared) {
    await db.deleteFrom('cart_items').where('cart_id', '=', cartId).execute();
  } else if (changes.removed.length > 0) {
    await db
      .deleteFrom('cart_items')
      .where('cart_id', '=', cartId)
      .where('product_id', '=', sql<string>`any(${changes.removed}::text[])`)
      .execute();
  }
  if (changes.upserted.length === 0) return;
  const lines = changes.upserted;
  // One statement for any number of lines; conflicts merge into the existing row, keeping its id (and so its place).
  await sql`
    insert into cart_items (cart_id, product_id, product_name, price, quantity)
    select ${cartId}, * from unnest(
      ${lines.map((l) => l.productId)}::text[], ${lines.map((l) => l.productName)}::text[],
      ${lines.map((l) => centsToDecimalText(l.unitPrice))}::numeric[], ${lines.map((l) => l.quantity)}::int[])
    on conflict (cart_id, product_id) do update
      set product_name = excluded.product_name, price = excluded.price, quantity = excluded.quantity, updated_at = now()`.execute(
    db,
  );
}

/** Moves the version on for the changes just written; answers the cart row as it now stands. */
export async function bumpVersion(db: Db, cartId: number): Promise<Omit<LockedCartRow, 'id'>> {
  return db
    .updateTable('carts')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
    .where('id', '=', cartId)
    .returning(['version', epochMs('created_at').as('created_ms'), epochMs('updated_at').as('updated_ms')])
    .executeTakeFirstOrThrow();
}
