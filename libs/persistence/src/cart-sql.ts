import { MikroORM } from '@mikro-orm/postgresql';
import { QueryExecutorProvider, sql } from 'kysely';
import { CartChanges, CartLine, CartSnapshot, centsToDecimalText, centsFromNumeric } from '@carthub/domain';

export type Db = QueryExecutorProvider;

/**
 * The pool, for statements outside a transaction. A fork would cost an
 * EntityManager per request and buys nothing here: these reads never touch
 * the identity map.
 */
export const pooled = (orm: MikroORM): Db => orm.em.getKysely();

export const epochMs = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

export interface LineRow {
  product_id: string;
  product_name: string;
  price: string;
  quantity: number;
}

export interface LockedCartRow {
  id: number;
  version: number;
  created_ms: number;
  updated_ms: number;
}

/**
 * One statement takes the row lock, creates the cart if absent and moves the
 * version on; if the mutation then fails, the transaction rolls all of it back.
 */
export async function lockAndBumpCart(db: Db, customerId: string): Promise<LockedCartRow> {
  const { rows } = await sql<LockedCartRow>`
    insert into carts as c (customer_id, version) values (${customerId}, 1)
    on conflict (customer_id) do update set version = c.version + 1, updated_at = now()
    returning c.id, c.version, ${epochMs('c.created_at')} as created_ms, ${epochMs('c.updated_at')} as updated_ms`.execute(
    db,
  );
  return rows[0];
}

export async function loadLines(db: Db, customerId: string, locked: LockedCartRow): Promise<CartSnapshot> {
  const { rows } = await sql<LineRow>`
    select product_id, product_name, price, quantity from cart_items where cart_id = ${locked.id} order by id`.execute(
    db,
  );
  const previousVersion = locked.version - 1;
  return {
    customerId,
    version: previousVersion,
    createdAt: previousVersion === 0 ? null : new Date(locked.created_ms),
    updatedAt: null,
    lines: rows.map(toLine),
  };
}

export async function writeChanges(db: Db, cartId: number, changes: CartChanges): Promise<void> {
  if (changes.cleared) {
    await sql`delete from cart_items where cart_id = ${cartId}`.execute(db);
  } else if (changes.removed.length > 0) {
    await sql`delete from cart_items where cart_id = ${cartId} and product_id = any(${changes.removed}::text[])`.execute(
      db,
    );
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

export function toLine(row: LineRow): CartLine {
  return {
    productId: row.product_id,
    productName: row.product_name,
    unitPrice: centsFromNumeric(row.price),
    quantity: row.quantity,
  };
}
