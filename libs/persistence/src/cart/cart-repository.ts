import type { Pool, PoolClient } from 'pg';
import AsyncLock from 'async-lock';
import { MikroORM } from '@mikro-orm/postgresql';
import { Cart, CartRepository, CartSnapshot, ServiceUnavailableError } from '@carthub/domain';
import { translateDatabaseError } from '../connection/database-errors';
import { changeTwoLockedCarts } from './locked-cart';
import { OutboxWriter } from '../outbox/outbox-writer';
import { lockAndReadCart, readCart, swapCart } from './prepared-cart-statements';
import { nativePool } from '../connection/sql-plumbing';

/** Rounds under the lock before giving up: only a cart created by another writer meanwhile needs a second. */
const LOCKED_ROUNDS = 5;
/** Changes of one cart waiting in this process; past either bound a change is refused as unavailable (503, retry). */
const QUEUE_BOUNDS = { maxPending: 200, timeout: 10_000 };

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
  private readonly queues = new AsyncLock(QUEUE_BOUNDS);

  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
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
    return this.queues
      .acquire(customerId, () => this.change(customerId, mutate))
      .catch((error: unknown) => {
        if (isQueueFull(error)) throw new ServiceUnavailableError(error);
        return translateDatabaseError(error);
      });
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

  private async change(customerId: string, mutate: (cart: Cart) => void): Promise<CartSnapshot> {
    const pool = await this.pool;
    const optimistic = await this.attempt(pool, await readCart(pool, customerId), customerId, mutate);
    if (optimistic) return optimistic;
    for (let round = 0; round < LOCKED_ROUNDS; round++) {
      const locked = await this.attemptLocked(pool, customerId, mutate);
      if (locked) return locked;
    }
    throw new ServiceUnavailableError(new Error(`cart ${customerId} was created and removed under every attempt`));
  }

  private async attemptLocked(pool: Pool, customerId: string, mutate: (cart: Cart) => void) {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const result = await this.attempt(client, await lockAndReadCart(client, customerId), customerId, mutate);
      // A miss here means the cart did not exist when read and another writer has created it since.
      await client.query(result ? 'commit' : 'rollback');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
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
    if (!cart.hasChanges) return cart.toSnapshot();
    const change = cart.event;
    if (!change) throw new Error('a cart change without its event');
    const event = this.outbox.row({
      aggregateType: 'cart',
      aggregateId: customerId,
      sequence: cart.version + 1,
      // The statement stamps occurred_at with the cart's own updated_at; this placeholder never reaches the outbox.
      occurredAt: new Date(0),
      change,
    });
    const written = await swapCart(db, { customerId, readVersion: cart.version, changes: cart.changes(), event });
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

/** async-lock's refusals (too many waiting, waited too long) carry no code or class of their own. */
function isQueueFull(error: unknown): boolean {
  return error instanceof Error && /^(Too many pending tasks|async-lock timed out)/.test(error.message);
}
