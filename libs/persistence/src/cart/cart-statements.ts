import { sql } from 'kysely';
import { CartChanges, CartSnapshot, centsToDecimalText } from '@carthub/domain';
import { linesOf, NullableLineRow } from './line-row';
import { Db, epochMs } from '../connection/sql-plumbing';

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

/** The cart's lines, and the version and time it will carry if this transaction commits. */
export interface LoadedCart {
  readonly stored: CartSnapshot;
  readonly next: { readonly version: number; readonly updatedAt: Date };
}

/**
 * Reads the locked cart's lines and moves its version on, in one statement:
 * a write costs no round trip for the version. The caller rolls the
 * transaction back when nothing changed, and the version with it.
 */
export async function loadAndBumpCart(db: Db, customerId: string, locked: LockedCartRow): Promise<LoadedCart> {
  const { rows } = await sql<{ next_version: number; next_updated_ms: number } & NullableLineRow>`
    with bump as (
      update carts set version = version + 1, updated_at = now() where id = ${locked.id}
      returning version as next_version, ${epochMs('updated_at')} as next_updated_ms)
    select bump.*, i.product_id, i.product_name, i.price, i.quantity
      from bump left join cart_items i on i.cart_id = ${locked.id}
     order by i.id`.execute(db);
  // A row whose version is still 0 was created by this very lock: the cart has never been stored.
  const everStored = locked.version > 0;
  return {
    stored: {
      customerId,
      version: locked.version,
      createdAt: everStored ? new Date(locked.created_ms) : null,
      updatedAt: everStored ? new Date(locked.updated_ms) : null,
      lines: linesOf(rows),
    },
    next: { version: rows[0].next_version, updatedAt: new Date(rows[0].next_updated_ms) },
  };
}

/** Reads the locked cart's lines without moving its version (for a transaction that may leave it unchanged). */
export async function loadLockedCart(db: Db, customerId: string, locked: LockedCartRow): Promise<CartSnapshot> {
  const rows = await db
    .selectFrom('cart_items')
    .select(['product_id', 'product_name', 'price', 'quantity'])
    .where('cart_id', '=', locked.id)
    .orderBy('id')
    .execute();
  const everStored = locked.version > 0;
  return {
    customerId,
    version: locked.version,
    createdAt: everStored ? new Date(locked.created_ms) : null,
    updatedAt: everStored ? new Date(locked.updated_ms) : null,
    lines: linesOf(rows),
  };
}

/** Moves a locked cart's version on by one: the version and time it carries once this transaction commits. */
export async function bumpCart(db: Db, cartId: number): Promise<{ version: number; updatedAt: Date }> {
  const { rows } = await sql<{ version: number; updated_ms: number }>`
    update carts set version = version + 1, updated_at = now() where id = ${cartId}
    returning version, ${epochMs('updated_at')} as updated_ms`.execute(db);
  return { version: rows[0].version, updatedAt: new Date(rows[0].updated_ms) };
}

/** Removes a cart row the lock created (version 0) when the transaction stores nothing in it. */
export async function dropUnstoredCart(db: Db, locked: LockedCartRow): Promise<void> {
  if (locked.version === 0) await db.deleteFrom('carts').where('id', '=', locked.id).where('version', '=', 0).execute();
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
