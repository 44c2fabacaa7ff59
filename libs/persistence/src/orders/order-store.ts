import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import {
  Cart,
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
} from '@carthub/domain';
import { translateDatabaseError } from '../connection/database-errors';
import { completeKey } from './idempotency-store';
import { changeLockedCart, queuedForCarts } from '../cart/cart-transaction';
import { orderOutboxEvent, OutboxWriter } from '../outbox/outbox-writer';
import { insertOrder, OrderSummaryRow, selectOrders, selectOrderSummaries, toOrder, toOrderSummary } from './order-sql';
import { ReplicaReads } from '../replicas/replica-reads';
import { Db, pooled } from '../connection/sql-plumbing';
import { buildCheckingStockFirst, reserveForOrder } from '../stock/checkout-stock';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OrderQuotas {
  /** Most orders one customer may place in any 60 seconds; unset, no limit. */
  readonly ordersPerMinute?: number;
}

export interface OrderStoreSettings extends OrderQuotas {
  /** The service's CURRENCY: what orders stored before they recorded one read back in (default USD). */
  readonly currency?: string;
  /** Read replicas for the reads that allow one; unset, every read goes to the primary. */
  readonly replicas?: ReplicaReads;
  /** STOCK_TRACKING=on: checkout reserves every tracked line in the order's transaction. */
  readonly stockTracking?: boolean;
}

/** Orders in PostgreSQL; placing one locks the cart exactly as cart writes do, so they never interleave. */
export class PostgresOrderStore implements OrderStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
    private readonly settings: OrderStoreSettings = {},
  ) {}

  private get currency(): string {
    return this.settings.currency ?? DEFAULT_CURRENCY;
  }

  async placeOrder(
    customerId: string,
    build: (cart: Cart) => NewOrder | CheckoutRefusal,
    keyToComplete?: IdempotentRequest,
  ): Promise<PlacementOutcome> {
    const place = () =>
      changeLockedCart(this.orm, this.outbox, customerId, async (cart, db, events) => {
        const stockTracking = this.settings.stockTracking === true;
        const read = cart.toSnapshot();
        const newOrder = stockTracking ? await buildCheckingStockFirst(db, cart, build) : build(cart);
        // Kept when the refusal changed the cart (repriced lines); rolled back when it did not.
        if ('refusal' in newOrder) return newOrder;
        // Counted under the cart lock, so one customer's racing checkouts cannot slip past it together.
        const perMinute = this.settings.ordersPerMinute;
        if (perMinute) await assertOrdersPerMinute(db, customerId, perMinute);
        const inserted = await insertOrder(db, newOrder);
        // Reserved in the order's transaction: a short line rolls back the order and everything with it.
        const { order: placed, events: stockEvents } = stockTracking
          ? await reserveForOrder(db, inserted, read)
          : { order: { ...inserted, reservations: [] }, events: [] };
        if (keyToComplete) await completeKey(db, customerId, keyToComplete, placed.orderId);
        events.push(orderOutboxEvent(placed), ...stockEvents);
        return placed;
      });
    const placement = await queuedForCarts(this.orm, [customerId], place).catch(translateDatabaseError);
    const { result, cart } = placement;
    return 'refusal' in result ? { refused: result, cart } : { order: result };
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

/**
 * Refuses an order when the customer's `max`-th newest order is under a minute
 * old. Ids grow with time, so that is a walk of at most `max` entries of the
 * (customer_id, id desc) index, however many orders the customer has.
 */
async function assertOrdersPerMinute(db: Db, customerId: string, max: number): Promise<void> {
  const oldest = await db
    .selectFrom('orders')
    .select(sql<number>`extract(epoch from created_at + interval '1 minute' - now()) * 1000`.as('wait_ms'))
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .offset(max - 1)
    .limit(1)
    .executeTakeFirst();
  const waitMs = Number(oldest?.wait_ms ?? 0);
  if (waitMs > 0) throw new QuotaExceededError('orders in the last minute', waitMs / 1000);
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
