import type { Pool } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { Cart, CartRepository, CartSnapshot } from '@carthub/domain';
import { translateDatabaseError } from './database-errors';
import { changeLockedCart, changeTwoLockedCarts } from './locked-cart';
import { OutboxWriter } from './outbox-writer';
import { readCart, swapCart } from './prepared-cart-statements';
import { nativePool } from './sql-plumbing';

/**
 * Carts in PostgreSQL. A change is computed from the cart as read and written
 * only if the cart still has that version (one statement, with its event);
 * when another writer got there first, or the change empties the cart, it is
 * made again under the cart's row lock, where writers of one cart queue up.
 * Either way none is lost, and different customers never wait on each other.
 */
export class PostgresCartRepository implements CartRepository {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
  ) {}

  private get pool(): Promise<Pool> {
    return nativePool(this.orm);
  }

  async find(customerId: string): Promise<CartSnapshot | undefined> {
    return this.pool.then((pool) => readCart(pool, customerId)).catch(translateDatabaseError);
  }

  async update(customerId: string, mutate: (cart: Cart) => void): Promise<CartSnapshot> {
    const stored = await this.find(customerId);
    const cart = stored ? Cart.restore(stored) : Cart.empty(customerId);
    mutate(cart);
    if (!cart.hasChanges) return cart.toSnapshot();
    const swapped = await this.swap(cart).catch(translateDatabaseError);
    if (swapped) return swapped;
    const { cart: changed } = await changeLockedCart(this.orm, this.outbox, customerId, mutate).catch(
      translateDatabaseError,
    );
    return changed;
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

  /** The change written if the cart is still at the version it was read at; undefined when it must take the lock. */
  private async swap(cart: Cart): Promise<CartSnapshot | undefined> {
    const changes = cart.changes();
    const change = cart.event;
    if (changes.cleared || !change) return undefined;
    const sequence = cart.version + 1;
    // The statement stamps occurred_at with the cart's own updated_at; this placeholder never reaches the outbox.
    const event = this.outbox.row({
      aggregateType: 'cart',
      aggregateId: cart.customerId,
      sequence,
      occurredAt: new Date(0),
      change,
    });
    const written = await swapCart(await this.pool, {
      customerId: cart.customerId,
      readVersion: cart.version,
      changes,
      event,
    });
    if (!written) return undefined;
    const snapshot = cart.toSnapshot();
    return {
      ...snapshot,
      version: written.version,
      createdAt: snapshot.createdAt ?? written.createdAt,
      updatedAt: written.updatedAt,
    };
  }
}
