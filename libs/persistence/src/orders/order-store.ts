import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  Cart,
  CartSnapshot,
  CheckoutDiscounts,
  CheckoutRefusal,
  DEFAULT_CURRENCY,
  IdempotentRequest,
  InvalidCursorError,
  NewOrder,
  OrderPage,
  OrderSnapshot,
  OrderStore,
  PlacementOutcome,
  QuotaExceededError,
  ReadOptions,
  TotalChangedError,
} from '@carthub/domain';
import { translateDatabaseError } from '../connection/database-errors';
import { earlierRequest } from './idempotency-keys';
import { queuedForCarts } from '../cart/cart-transaction';
import { writeCart } from '../cart/cart-statements';
import { OutboxWriter } from '../outbox/outbox-writer';
import { CheckoutQuotas, CheckoutRead, orderToPlace, readForCheckout, writeOrder } from './checkout-statements';
import { OrderSummaryRow, selectOrders, selectOrderSummaries, toOrder, toOrderSummary } from './order-sql';
import { ReplicaReads } from '../replicas/replica-reads';
import { countDiscountUses } from '../discounts/discount-usage';
import { Db, discard, inTransaction, keep, pooled, TransactionOutcome } from '../connection/sql-plumbing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Per-customer quotas of checkout; unset, no limit. */
export type OrderQuotas = CheckoutQuotas;

/** An order just written, inside its transaction, for the steps that go with it. */
export interface PlacedInTransaction {
  /** As the steps before this one left it. */
  readonly order: OrderSnapshot;
  /** The cart as read under its lock, before checkout emptied it: what a step's refusal shows the shopper. */
  readonly cart: CartSnapshot;
  /** The order row's key (order_items and idempotency_keys refer to it). */
  readonly orderRowId: number;
  /** The transaction, as typed Kysely and as the pg client it runs on (for named statements). */
  readonly db: Db;
  readonly client: PoolClient;
}

/**
 * More work inside the order's transaction (stock reservations, discount
 * usage): each step runs, in order, after the order, its lines, its key, the
 * emptied cart and both events are written, under the cart's lock, before the
 * commit. A step that throws rolls all of it back: no order, the cart as it
 * was, the key free; its error is the checkout's answer. A step that changes
 * the order (its reservations) answers it as it now stands. Each statement a
 * step sends is a round trip more for every checkout.
 */
export type CheckoutStep = ((placed: PlacedInTransaction) => Promise<OrderSnapshot | void>) & {
  /**
   * Run when `build` refused the expected total, before that refusal is
   * answered: a check the contract puts before expected_total (stock) throws
   * its own error here instead. Nothing is written either way.
   */
  readonly beforeTotalRefusal?: (cart: Cart, db: Db) => Promise<void>;
};

export interface OrderStoreSettings extends OrderQuotas {
  /** The service's CURRENCY: what orders stored before they recorded one read back in (default USD). */
  readonly currency?: string;
  /** Read replicas for the reads that allow one; unset, every read goes to the primary. */
  readonly replicas?: ReplicaReads;
  /** Run inside every order's transaction after it is written (see CheckoutStep). */
  readonly steps?: readonly CheckoutStep[];
}

/** Orders in PostgreSQL; placing one locks the cart exactly as cart writes do, so they never interleave. */
export class PostgresOrderStore implements OrderStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
    private readonly settings: OrderStoreSettings = {},
  ) {}

  /** Discount usage first (every order counts its codes), then the settings' steps. */
  private get steps(): readonly CheckoutStep[] {
    return [countDiscountUses, ...(this.settings.steps ?? [])];
  }

  private get currency(): string {
    return this.settings.currency ?? DEFAULT_CURRENCY;
  }

  /*
   * begin; the cart read under its lock with the key, the quotas, the cart's
   * discount codes and the clock; the cart's write carrying the order, its
   * lines, its key and both events; the steps (the count of the order's
   * discount codes' uses, when it applied any); commit. A key stored before, a refusal or a
   * failure writes nothing (repriced lines aside, which a refusal keeps).
   */
  async placeOrder(
    customerId: string,
    build: (cart: Cart, discounts: CheckoutDiscounts) => NewOrder | CheckoutRefusal,
    idempotency?: IdempotentRequest,
  ): Promise<PlacementOutcome> {
    const place = () =>
      inTransaction<PlacementOutcome>(this.orm, async (db, client) => {
        const read = await readForCheckout(client, customerId, idempotency, this.settings);
        const earlier = idempotency && earlierRequest(read.key, idempotency);
        if (earlier) return discard({ earlier });
        if (idempotency) this.assertRoomForKey(read);
        const cart = read.cart ? Cart.restore(read.cart) : Cart.empty(customerId);
        const asRead = read.cart ?? cart.toSnapshot();
        const built = await this.build(cart, db, () => build(cart, read.discounts));
        if ('refusal' in built) return this.refuse(client, cart, read.cart, built);
        this.assertOrdersPerMinute(read);
        let order = orderToPlace(built, randomUUID(), read.now);
        const written = await writeOrder(client, this.outbox, cart, order, idempotency);
        if (!written.keyStored) return discard({ earlier: { outcome: 'in-progress' } });
        for (const step of this.steps) {
          order = (await step({ order, cart: asRead, orderRowId: written.orderRowId, db, client })) ?? order;
        }
        return keep({ order });
      });
    return queuedForCarts(this.orm, [customerId], place).catch(translateDatabaseError);
  }

  /** `build`, with the steps' checks that answer before a refused expected total. */
  private async build(
    cart: Cart,
    db: Db,
    build: () => NewOrder | CheckoutRefusal,
  ): Promise<NewOrder | CheckoutRefusal> {
    try {
      return build();
    } catch (error) {
      if (!(error instanceof TotalChangedError)) throw error;
      for (const step of this.steps) await step.beforeTotalRefusal?.(cart, db);
      throw error;
    }
  }

  /** A refusal keeps what `build` changed in the cart (repriced lines), with its event; else nothing is written. */
  private async refuse(
    client: PoolClient,
    cart: Cart,
    stored: CartSnapshot | undefined,
    refused: CheckoutRefusal,
  ): Promise<TransactionOutcome<PlacementOutcome>> {
    if (!cart.hasChanges) return discard({ refused, cart: stored ?? cart.toSnapshot() });
    const written = await writeCart(client, this.outbox, cart);
    if (!written) throw new Error(`cart ${cart.customerId} moved under its lock`);
    return keep({ refused, cart: written });
  }

  /**
   * Refuses a new key while the customer holds the most unexpired others; the
   * key itself does not count, and a stored request was answered before this.
   * Counted under the cart's lock, which every writer of the customer's keys holds.
   */
  private assertRoomForKey({ liveKeys }: CheckoutRead): void {
    const max = this.settings.liveKeysPerCustomer;
    if (max && liveKeys && liveKeys.count >= max) {
      throw new QuotaExceededError('open idempotency keys', liveKeys.waitMs / 1000);
    }
  }

  /** Refuses an order when the customer's most recent allowed number of orders all fall within the last minute. */
  private assertOrdersPerMinute({ ordersWaitMs }: CheckoutRead): void {
    if (ordersWaitMs !== undefined && ordersWaitMs > 0) {
      throw new QuotaExceededError('orders in the last minute', ordersWaitMs / 1000);
    }
  }

  async findById(orderId: string, read: ReadOptions = {}): Promise<OrderSnapshot | undefined> {
    // Anything that is not a UUID names no order; asking PostgreSQL would only fail the cast.
    if (!UUID.test(orderId)) return undefined;
    const [row] = await this.read(
      read,
      (db) => selectOrders(db, db.selectFrom('orders').select('id').where('order_id', '=', orderId)),
      (rows) => rows.length > 0,
    ).catch(translateDatabaseError);
    return row && toOrder(row, this.currency);
  }

  async listByCustomer(
    customerId: string,
    { limit, cursor }: { limit: number; cursor?: string },
    read: ReadOptions = {},
  ): Promise<OrderPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await this.read(
      read,
      (db) => selectPage(db, customerId, limit + 1, after),
      (found) => found !== undefined,
    ).catch(translateDatabaseError);
    if (!rows) throw new InvalidCursorError();
    const hasMore = rows.length > limit;
    const shown = rows.slice(0, limit);
    return {
      orders: shown.map((row) => toOrderSummary(row, this.currency)),
      nextCursor: hasMore ? encodeCursor(shown[shown.length - 1].order_id) : undefined,
    };
  }

  /** `work` on the primary, or where the replicas let it run when the read allows one (`found`: a replica's answer counts). */
  private read<T>(read: ReadOptions, work: (db: Db) => Promise<T>, found: (result: T) => boolean): Promise<T> {
    const replicas = read.replicaAllowed ? this.settings.replicas : undefined;
    return replicas ? replicas.read(work, found) : work(pooled(this.orm));
  }
}

/** A page of a customer's orders, newest first; undefined when `after` is not an order of theirs. */
async function selectPage(
  db: Db,
  customerId: string,
  size: number,
  after?: string,
): Promise<OrderSummaryRow[] | undefined> {
  const before = after === undefined ? undefined : await rowKeyOf(db, customerId, after);
  if (after !== undefined && before === undefined) return undefined;
  const newest = db.selectFrom('orders').select('id').where('customer_id', '=', customerId);
  const page = (before === undefined ? newest : newest.where('id', '<', before)).orderBy('id', 'desc').limit(size);
  return selectOrderSummaries(db, page);
}

/** The row key a cursor stands for: only an order of this very customer is a place to continue from. */
async function rowKeyOf(db: Db, customerId: string, orderId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('order_id', '=', orderId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row?.id;
}

/*
 * The cursor is the public id of the page's last order: it reveals nothing the
 * page did not show, needs no secret shared by the replicas, and a forged one
 * either names an order of this customer (a place to continue from, as good
 * as any) or is refused. The row key it resolves to only grows, so orders
 * placed meanwhile land before it, never inside a later page.
 */
function encodeCursor(orderId: string): string {
  return Buffer.from(orderId.replaceAll('-', ''), 'hex').toString('base64url');
}

function decodeCursor(cursor: string): string {
  // Node's base64url decoder skips what it does not know; only the exact 16-byte form is one we issued.
  if (!/^[A-Za-z0-9_-]{22}$/.test(cursor)) throw new InvalidCursorError();
  const hex = Buffer.from(cursor, 'base64url').toString('hex');
  if (Buffer.from(hex, 'hex').toString('base64url') !== cursor) throw new InvalidCursorError();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
