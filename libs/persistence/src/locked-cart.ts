import { MikroORM } from '@mikro-orm/postgresql';
import { Cart, CartSnapshot } from '@carthub/domain';
import { bumpVersion, loadCart, lockCart, writeChanges } from './cart-statements';
import { Db, kyselyOf } from './sql-plumbing';

export interface CartChangeResult<T> {
  /** What `work` answered. */
  readonly result: T;
  /** The cart as it now stands: as it was when `work` changed nothing, else with its new version. */
  readonly cart: CartSnapshot;
}

/**
 * The one way carts change: in one transaction, lock the customer's cart
 * (creating it if absent), load it, let `work` change it (and write whatever
 * else belongs with the change, through `db`), then write the cart's changes
 * and move its version on, and commit. A cart that was never stored and that
 * `work` left empty is not created: that transaction is rolled back. When
 * `work` throws, nothing is written.
 */
export async function changeLockedCart<T>(
  orm: MikroORM,
  customerId: string,
  work: (cart: Cart, db: Db) => T | Promise<T>,
): Promise<CartChangeResult<T>> {
  const em = orm.em.fork();
  await em.begin();
  try {
    const db = kyselyOf(em);
    const locked = await lockCart(db, customerId);
    const cart = Cart.restore(await loadCart(db, customerId, locked));
    const result = await work(cart, db);
    if (!cart.hasChanges) {
      await (locked.version === 0 ? em.rollback() : em.commit());
      return { result, cart: cart.toSnapshot() };
    }
    await writeChanges(db, locked.id, cart.changes());
    const saved = await bumpVersion(db, locked.id);
    await em.commit();
    return {
      result,
      cart: {
        ...cart.toSnapshot(),
        version: saved.version,
        createdAt: new Date(saved.created_ms),
        updatedAt: new Date(saved.updated_ms),
      },
    };
  } catch (error) {
    // The error that ended the work is the one to report, even if the connection cannot roll back.
    await em.rollback().catch(() => undefined);
    throw error;
  }
}
