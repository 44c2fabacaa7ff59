import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { Cart, CartRepository, CartSnapshot } from '@carthub/domain';
import { LineRow, epochMs, loadLines, lockAndBumpCart, pooled, toLine, writeChanges } from './cart-sql';
import { translateDatabaseError } from './database-errors';

/** A cart joined to its lines: one row per line, or one row of nulls for an empty cart. */
type CartLineRow = { customer_id: string; version: number; created_ms: number; updated_ms: number } & (
  LineRow | { [column in keyof LineRow]: null }
);

/**
 * Carts in PostgreSQL. A write locks the customer's cart row first (creating
 * it if needed, in the same statement), so writers of one cart queue up and
 * none is lost, while different customers never wait on each other.
 */
export class PostgresCartRepository implements CartRepository {
  constructor(private readonly orm: MikroORM) {}

  async find(customerId: string): Promise<CartSnapshot | undefined> {
    const db = pooled(this.orm);
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
