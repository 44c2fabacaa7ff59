import type { Pool, PoolClient } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { Cart, CartRepository, CartSnapshot, DEFAULT_CURRENCY } from '@carthub/domain';
import { reassignOrders } from '../orders/order-reassignment';
import { translateDatabaseError } from '../connection/database-errors';
import { changeLockedCart, changeTwoLockedCarts, queuedForCarts } from './cart-transaction';
import { OutboxWriter } from '../outbox/outbox-writer';
import { readCart, writeCart } from './cart-statements';
import { Db, nativePool } from '../connection/sql-plumbing';

/**
 * Carts in PostgreSQL. A change is computed from the cart as read and written
 * only if the cart still has that version: one statement, with its event, no
 * transaction. When another writer got there first, the change is made again
 * under the cart's row lock, where writers of one cart queue up and the
 * version cannot move. Either way none is lost, and different customers never
 * wait on each other. Within this process, changes of one cart also queue up
 * before they read, so they do not race each other into the lock: a busy
 * cart costs two statements a change, like any other.
 */
export class PostgresCartRepository implements CartRepository {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
    /** The service's CURRENCY: what moved orders stored before they recorded one read back in. */
    private readonly currency = DEFAULT_CURRENCY,
  ) {}

  private resolvedPool?: Promise<Pool>;

  /** The ORM's pg Pool, asked for once (a failed ask, with the database down at start-up, is asked again). */
  private get pool(): Promise<Pool> {
    this.resolvedPool ??= nativePool(this.orm).catch((error: unknown) => {
      this.resolvedPool = undefined;
      throw error;
    });
    return this.resolvedPool;
  }

  async find(customerId: string): Promise<CartSnapshot | undefined> {
    return this.pool.then((pool) => readCart(pool, customerId)).catch(translateDatabaseError);
  }

  async update(customerId: string, mutate: (cart: Cart) => void): Promise<CartSnapshot> {
    return queuedForCarts(this.orm, [customerId], () => this.change(customerId, mutate)).catch(translateDatabaseError);
  }

  async updateBoth<T>(
    targetId: string,
    sourceId: string,
    mutate: (target: Cart, source: Cart) => T,
    options: { readonly moveOrders?: boolean } = {},
  ) {
    // Under the source cart's lock, which the source's checkouts hold too: no order of theirs is placed meanwhile.
    const moveOrders = options.moveOrders
      ? async (db: Db) => (await reassignOrders(db, this.outbox, sourceId, targetId, this.currency)) > 0
      : undefined;
    const { result, first, second } = await queuedForCarts(this.orm, [targetId, sourceId], () =>
      changeTwoLockedCarts(this.orm, this.outbox, [targetId, sourceId], mutate, moveOrders),
    ).catch(translateDatabaseError);
    return { result, target: first, source: second };
  }

  private async change(customerId: string, mutate: (cart: Cart) => void): Promise<CartSnapshot> {
    const pool = await this.pool;
    const optimistic = await this.attempt(pool, await readCart(pool, customerId), customerId, mutate);
    if (optimistic) return optimistic;
    // Another writer got there first: made again under the cart's row lock, where the version cannot move.
    const { cart } = await changeLockedCart(this.orm, this.outbox, customerId, (cart) => mutate(cart));
    return cart;
  }

  /** The cart after `mutate`, written if it is still at the version read; undefined when another writer got there first. */
  private async attempt(
    db: Pool | PoolClient,
    stored: CartSnapshot | undefined,
    customerId: string,
    mutate: (cart: Cart) => void,
  ): Promise<CartSnapshot | undefined> {
    const cart = stored ? Cart.restore(stored) : Cart.empty(customerId);
    mutate(cart);
    return writeCart(db, this.outbox, cart);
  }
}
