import { MikroORM } from '@mikro-orm/postgresql';
import { QueryExecutorProvider, sql } from 'kysely';
import {
  Cart,
  CartChanges,
  CartLine,
  CartRepository,
  CartSnapshot,
  centsToDecimalText,
  parseCents,
} from '@carthub/domain';
import { translateDatabaseError } from './database-errors';

interface LineRow {
  product_id: string;
  product_name: string;
  price: string;
  quantity: number;
}

/** A cart joined to its lines: one row per line, or one row of nulls for an empty cart. */
type CartLineRow = { customer_id: string; version: number; created_ms: number; updated_ms: number } & (
  LineRow | { [column in keyof LineRow]: null }
);

interface LockedCartRow {
  id: number;
  version: number;
  created_ms: number;
  updated_ms: number;
}

type Db = QueryExecutorProvider;

const epochMs = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

/**
 * Carts in PostgreSQL. A write locks the customer's cart row first (creating
 * it if needed, in the same statement), so writers of one cart queue up and
 * none is lost, while different customers never wait on each other.
 */
export class PostgresCartRepository implements CartRepository {
  constructor(private readonly orm: MikroORM) {}

  async find(customerId: string): Promise<CartSnapshot | undefined> {
    const db = this.orm.em.fork().getKysely();
    const { rows } = await sql<CartLineRow>`
      select c.customer_id, c.version, ${epochMs('c.created_at')} as created_ms, ${epochMs('c.updated_at')} as updated_ms,
             i.product_id, i.product_name, i.price, i.quantity
        from carts c left join cart_items i on i.cart_id = c.id
       where c.customer_id = ${customerId}
       order by i.id`
      .execute(db)
      .catch(translateDatabaseError);
    return rows.length === 0 ? undefined : toSnapshot(rows);
  }

  async update(customerId: string, mutate: (cart: Cart) => void): Promise<CartSnapshot> {
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        const db = em.getKysely();
        const locked = await lockAndBumpCart(db, customerId);
        const cart = Cart.restore(await loadLines(db, customerId, locked));
        mutate(cart);
        if (!cart.hasChanges) throw new NothingToWrite(cart.toSnapshot());
        await writeChanges(db, locked.id, cart.changes());
        return {
          ...cart.toSnapshot(),
          version: locked.version,
          createdAt: new Date(locked.created_ms),
          updatedAt: new Date(locked.updated_ms),
        };
      });
    } catch (error) {
      if (error instanceof NothingToWrite) return error.unchanged;
      return translateDatabaseError(error);
    }
  }
}

/** Rolls the transaction back when a mutation changed nothing, so the version stays and no cart is created. */
class NothingToWrite extends Error {
  constructor(readonly unchanged: CartSnapshot) {
    super('nothing to write');
  }
}

/**
 * One statement takes the row lock, creates the cart if absent and moves the
 * version on; if the mutation then fails, the transaction rolls all of it back.
 */
async function lockAndBumpCart(db: Db, customerId: string): Promise<LockedCartRow> {
  const { rows } = await sql<LockedCartRow>`
    insert into carts as c (customer_id, version) values (${customerId}, 1)
    on conflict (customer_id) do update set version = c.version + 1, updated_at = now()
    returning c.id, c.version, ${epochMs('c.created_at')} as created_ms, ${epochMs('c.updated_at')} as updated_ms`.execute(
    db,
  );
  return rows[0];
}

async function loadLines(db: Db, customerId: string, locked: LockedCartRow): Promise<CartSnapshot> {
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

async function writeChanges(db: Db, cartId: number, changes: CartChanges): Promise<void> {
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

function toSnapshot(rows: CartLineRow[]): CartSnapshot {
  const [first] = rows;
  return {
    customerId: first.customer_id,
    version: first.version,
    createdAt: new Date(first.created_ms),
    updatedAt: new Date(first.updated_ms),
    lines: rows.flatMap((row) => (row.product_id === null ? [] : [toLine(row)])),
  };
}

function toLine(row: LineRow): CartLine {
  // NUMERIC(10,2) text always has two decimals, so parsing cannot fail.
  return {
    productId: row.product_id,
    productName: row.product_name,
    unitPrice: parseCents(row.price)!,
    quantity: row.quantity,
  };
}
