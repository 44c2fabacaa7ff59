import AsyncLock from 'async-lock';
import type { PoolClient } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { Cart, CartSnapshot, ServiceUnavailableError } from '@carthub/domain';
import { Db, discard, inTransaction, keep } from '../connection/sql-plumbing';
import { OutboxWriter } from '../outbox/outbox-writer';
import { lockAndReadCart, writeCart } from './cart-statements';

/** Rounds before giving up: only a cart created by another writer after it was read needs another. */
export const LOCKED_ROUNDS = 5;
/** Changes of one cart waiting in this process; past either bound a change is refused as unavailable (503, retry). */
const QUEUE_BOUNDS = { maxPending: 200, timeout: 10_000 };
const QUEUES = new WeakMap<MikroORM, AsyncLock>();

/**
 * Runs `work` once every earlier writer of these carts in this process is
 * done: every writer of a cart (change, checkout, merge) waits here, so they
 * do not race each other into the database. Keyed by the ORM, so the cart
 * repository and the order store of one app share it.
 */
export function queuedForCarts<T>(orm: MikroORM, customerIds: readonly string[], work: () => Promise<T>): Promise<T> {
  let queue = QUEUES.get(orm);
  if (!queue) QUEUES.set(orm, (queue = new AsyncLock(QUEUE_BOUNDS)));
  // Sorted: two writers of the same carts queue in the same order, whatever order they name them in.
  return queue.acquire([...customerIds].sort(), work).catch((error: unknown) => {
    throw isQueueFull(error) ? new ServiceUnavailableError(error) : error;
  });
}

/** async-lock's refusals (too many waiting, waited too long) carry no code or class of their own. */
function isQueueFull(error: unknown): boolean {
  return error instanceof Error && /^(Too many pending tasks|async-lock timed out)/.test(error.message);
}

export interface LockedCartsChange<T> {
  /** What `work` answered. */
  readonly result: T;
  /** Each cart as it now stands, in the order asked: as read when `work` left it unchanged, else with its new version. */
  readonly carts: readonly CartSnapshot[];
}

/** More writes in the carts' transaction, under their locks; true when it wrote anything (to be committed). */
export type Alongside = (db: Db) => Promise<boolean>;

const CREATED_MEANWHILE = Symbol('a cart was created by another writer after it was read');

/**
 * A change of one or more carts in one transaction: each cart read under its
 * row lock (in customer id order, so transactions on the same carts queue
 * instead of deadlocking), `work` changes them, then each changed cart is
 * written by the store's version-guarded statement with its own event. (Checkout
 * reads and writes its cart with the same statements, carrying its order:
 * orders/order-store.ts.) A cart `work` left unchanged keeps its version and is not created; when
 * nothing changed, or `work` throws, nothing is written. A cart that did not
 * exist is not locked: if another writer creates it meanwhile, the whole
 * transaction is rolled back and made again.
 */
export async function changeLockedCarts<T>(
  orm: MikroORM,
  outbox: OutboxWriter,
  customerIds: readonly string[],
  work: (carts: Cart[]) => T | Promise<T>,
  alongside?: Alongside,
): Promise<LockedCartsChange<T>> {
  if (new Set(customerIds).size !== customerIds.length) throw new Error('changeLockedCarts needs distinct carts');
  for (let round = 0; round < LOCKED_ROUNDS; round++) {
    const outcome = await inTransaction<LockedCartsChange<T> | typeof CREATED_MEANWHILE>(orm, async (db, client) => {
      const stored = await lockInOrder(client, customerIds);
      const carts = customerIds.map((id) => {
        const snapshot = stored.get(id);
        return snapshot ? Cart.restore(snapshot) : Cart.empty(id);
      });
      const result = await work(carts);
      const unchanged = (cart: Cart) => stored.get(cart.customerId) ?? cart.toSnapshot();
      const wroteAlongside = alongside ? await alongside(db) : false;
      if (!carts.some((cart) => cart.hasChanges)) {
        const answer = { result, carts: carts.map(unchanged) };
        return wroteAlongside ? keep(answer) : discard(answer);
      }
      const written: CartSnapshot[] = [];
      for (const cart of carts) {
        const after = cart.hasChanges ? await writeCart(client, outbox, cart) : unchanged(cart);
        if (!after) return discard(CREATED_MEANWHILE);
        written.push(after);
      }
      return keep({ result, carts: written });
    });
    if (outcome !== CREATED_MEANWHILE) return outcome;
  }
  throw new ServiceUnavailableError(new Error(`carts ${customerIds.join(', ')} were created under every attempt`));
}

async function lockInOrder(client: PoolClient, customerIds: readonly string[]) {
  const stored = new Map<string, CartSnapshot | undefined>();
  for (const id of [...customerIds].sort()) stored.set(id, await lockAndReadCart(client, id));
  return stored;
}

/** changeLockedCarts for one cart. */
export async function changeLockedCart<T>(
  orm: MikroORM,
  outbox: OutboxWriter,
  customerId: string,
  work: (cart: Cart) => T | Promise<T>,
): Promise<{ readonly result: T; readonly cart: CartSnapshot }> {
  const { result, carts } = await changeLockedCarts(orm, outbox, [customerId], ([cart]) => work(cart));
  return { result, cart: carts[0] };
}

/** changeLockedCarts for two distinct carts. */
export async function changeTwoLockedCarts<T>(
  orm: MikroORM,
  outbox: OutboxWriter,
  [firstId, secondId]: readonly [string, string],
  work: (first: Cart, second: Cart) => T | Promise<T>,
  alongside?: Alongside,
): Promise<{ readonly result: T; readonly first: CartSnapshot; readonly second: CartSnapshot }> {
  const { result, carts } = await changeLockedCarts(
    orm,
    outbox,
    [firstId, secondId],
    ([first, second]) => work(first, second),
    alongside,
  );
  return { result, first: carts[0], second: carts[1] };
}
