import { MikroORM } from '@mikro-orm/postgresql';
import { Cart, CartSnapshot } from '@carthub/domain';
import {
  bumpCart,
  dropUnstoredCart,
  loadAndBumpCart,
  loadLockedCart,
  LockedCartRow,
  lockCart,
  writeChanges,
} from './cart-statements';
import { cartOutboxEvent, NewEvent, OutboxWriter } from '../outbox/outbox-writer';
import { Db, discard, inTransaction, keep } from '../connection/sql-plumbing';

export interface CartChangeResult<T> {
  /** What `work` answered. */
  readonly result: T;
  /** The cart as it now stands: as it was when `work` changed nothing, else with its new version. */
  readonly cart: CartSnapshot;
}

/**
 * A cart change that writes more than the cart (checkout): in one transaction, lock the customer's cart
 * (creating it if absent), load it, let `work` change it (and write whatever
 * else belongs with the change, through `db`, and the events it makes), then
 * write the cart's changes under its next version, with the cart's event and
 * those in the outbox, and commit. When `work` leaves the cart unchanged,
 * the transaction is rolled back: no version moves and no cart is created.
 * When `work` throws, nothing is written either.
 */
export async function changeLockedCart<T>(
  orm: MikroORM,
  outbox: OutboxWriter,
  customerId: string,
  work: (cart: Cart, db: Db, events: NewEvent[]) => T | Promise<T>,
): Promise<CartChangeResult<T>> {
  return inTransaction(orm, async (db) => {
    const locked = await lockCart(db, customerId);
    const { stored, next } = await loadAndBumpCart(db, customerId, locked);
    const cart = Cart.restore(stored);
    const events: NewEvent[] = [];
    const result = await work(cart, db, events);
    // Nothing to keep: not the version moved on, not a cart created by the lock.
    if (!cart.hasChanges) return discard({ result, cart: stored });
    await writeChanges(db, locked.id, cart.changes());
    await outbox.write(db, [...cartEvent(cart, next), ...events]);
    const createdAt = stored.createdAt ?? new Date(locked.created_ms);
    return keep({
      result,
      cart: { ...cart.toSnapshot(), version: next.version, createdAt, updatedAt: next.updatedAt },
    });
  });
}

export interface TwoCartsChangeResult<T> {
  readonly result: T;
  readonly first: CartSnapshot;
  readonly second: CartSnapshot;
}

/**
 * changeLockedCart for two distinct carts in one transaction. Both are locked
 * in customer id order, whichever is `first`, so two calls on the same pair
 * (in either order) queue up instead of deadlocking. Each cart that changed
 * moves its version by exactly one and writes its own event; a cart that did
 * not change keeps its version (and is not created); when neither changed or
 * `work` throws, nothing is written.
 */
export async function changeTwoLockedCarts<T>(
  orm: MikroORM,
  outbox: OutboxWriter,
  [firstId, secondId]: readonly [string, string],
  work: (first: Cart, second: Cart) => T | Promise<T>,
): Promise<TwoCartsChangeResult<T>> {
  if (firstId === secondId) throw new Error('changeTwoLockedCarts needs two distinct carts');
  return inTransaction(orm, async (db) => {
    const firstLocksFirst = firstId < secondId;
    const earlier = await lockCart(db, firstLocksFirst ? firstId : secondId);
    const later = await lockCart(db, firstLocksFirst ? secondId : firstId);
    const lockOf = (id: string): LockedCartRow => ((id === firstId) === firstLocksFirst ? earlier : later);
    const storedFirst = await loadLockedCart(db, firstId, lockOf(firstId));
    const storedSecond = await loadLockedCart(db, secondId, lockOf(secondId));
    const [first, second] = [Cart.restore(storedFirst), Cart.restore(storedSecond)];
    const result = await work(first, second);
    if (!first.hasChanges && !second.hasChanges) return discard({ result, first: storedFirst, second: storedSecond });
    const save = async (cart: Cart, stored: CartSnapshot): Promise<CartSnapshot> => {
      const locked = lockOf(cart.customerId);
      if (!cart.hasChanges) {
        await dropUnstoredCart(db, locked);
        return stored;
      }
      const next = await bumpCart(db, locked.id);
      await writeChanges(db, locked.id, cart.changes());
      await outbox.write(db, cartEvent(cart, next));
      const createdAt = stored.createdAt ?? new Date(locked.created_ms);
      return { ...cart.toSnapshot(), version: next.version, createdAt, updatedAt: next.updatedAt };
    };
    const savedFirst = await save(first, storedFirst);
    const savedSecond = await save(second, storedSecond);
    return keep({ result, first: savedFirst, second: savedSecond });
  });
}

/** The cart's own event, numbered by the version the change gives it. */
function cartEvent(cart: Cart, next: { version: number; updatedAt: Date }): NewEvent[] {
  const change = cart.event;
  return change ? [cartOutboxEvent(cart.customerId, next, change)] : [];
}
