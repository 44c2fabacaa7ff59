import { MikroORM } from '@mikro-orm/postgresql';
import { Cart, CartRepository, CartSnapshot } from '@carthub/domain';
import { translateDatabaseError } from './database-errors';
import { linesOf, NullableLineRow } from './line-row';
import { changeLockedCart, changeTwoLockedCarts } from './locked-cart';
import { OutboxWriter } from './outbox-writer';
import { epochMs, pooled } from './sql-plumbing';

/** A cart joined to its lines: one row per line, or one row of nulls for an empty cart. */
type CartLineRow = { customer_id: string; version: number; created_ms: number; updated_ms: number } & NullableLineRow;

/**
 * Carts in PostgreSQL. A write locks the customer's cart row first (creating
 * it if needed, in the same statement), so writers of one cart queue up and
 * none is lost, while different customers never wait on each other.
 */
export class PostgresCartRepository implements CartRepository {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
  ) {}

  async find(customerId: string): Promise<CartSnapshot | undefined> {
    const rows = await pooled(this.orm)
      .selectFrom('carts as c')
      .leftJoin('cart_items as i', 'i.cart_id', 'c.id')
      .select([
        'c.customer_id',
        'c.version',
        epochMs('c.created_at').as('created_ms'),
        epochMs('c.updated_at').as('updated_ms'),
        'i.product_id',
        'i.product_name',
        'i.price',
        'i.quantity',
      ])
      .where('c.customer_id', '=', customerId)
      .orderBy('i.id')
      .execute()
      .catch(translateDatabaseError);
    return rows.length === 0 ? undefined : toSnapshot(rows);
  }

  async update(customerId: string, mutate: (cart: Cart) => void): Promise<CartSnapshot> {
    const { cart } = await changeLockedCart(this.orm, this.outbox, customerId, mutate).catch(translateDatabaseError);
    return cart;
  }

  async updateBoth<T>(targetId: string, sourceId: string, mutate: (target: Cart, source: Cart) => T) {
    const { result, first, second } = await changeTwoLockedCarts(
      this.orm,
      this.outbox,
      [targetId, sourceId],
      mutate,
    ).catch(translateDatabaseError);
    return { result, target: first, source: second };
  }
}

function toSnapshot(rows: CartLineRow[]): CartSnapshot {
  const [first] = rows;
  return {
    customerId: first.customer_id,
    version: first.version,
    createdAt: new Date(first.created_ms),
    updatedAt: new Date(first.updated_ms),
    lines: linesOf(rows),
  };
}
