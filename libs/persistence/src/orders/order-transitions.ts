import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import {
  OrderChange,
  OrderChangeResult,
  OrderNotFoundError,
  OrderSnapshot,
  OrderTransitionStore,
  PaymentIdInUseError,
  DEFAULT_CURRENCY,
  givesBackDiscountUses,
} from '@carthub/domain';
import { translateDatabaseError } from '../connection/database-errors';
import { orderOutboxEvent, OutboxWriter } from '../outbox/outbox-writer';
import { historyEntry, selectOrders, toOrder } from './order-sql';
import { Db, discard, epochMs, inTransaction, keep } from '../connection/sql-plumbing';
import { giveBackDiscountUses } from '../discounts/discount-usage';
import { moveStock } from '../stock/order-stock';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAYMENT_ID_UNIQUE = 'orders_payment_id_unique';

/** Order transitions in PostgreSQL: each in one transaction, the order's row locked, its event in the outbox. */
export class PostgresOrderTransitions implements OrderTransitionStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
    /** The service's CURRENCY: what orders stored before they recorded one read back in. */
    private readonly currency = DEFAULT_CURRENCY,
  ) {}

  async changeOrder(
    orderId: string,
    decide: (order: OrderSnapshot) => OrderChange | undefined,
  ): Promise<OrderChangeResult> {
    if (!UUID.test(orderId)) throw new OrderNotFoundError(orderId);
    return inTransaction(this.orm, async (db) => {
      const locked = await db
        .selectFrom('orders')
        .select('id')
        .where('order_id', '=', orderId)
        .forUpdate()
        .executeTakeFirst();
      if (!locked) throw new OrderNotFoundError(orderId);
      const [row] = await selectOrders(db, db.selectFrom('orders').select('id').where('id', '=', locked.id));
      const order = toOrder(row, this.currency);
      const change = decide(order);
      if (!change) return discard({ order, changed: false });
      if (change.paymentId !== undefined) await assertPaymentIdFree(db, change.paymentId, locked.id);
      const moved = await applyChange(db, locked.id, order, change);
      const {
        orders: [after],
        events: stockEvents,
      } = await moveStock(db, [{ rowId: locked.id, order: moved }]);
      if (givesBackDiscountUses(change.status)) await giveBackDiscountUses(db, [locked.id]);
      await this.outbox.write(db, [orderOutboxEvent(after), ...stockEvents]);
      return keep({ order: after, changed: true });
    }).catch((error: unknown) => {
      if (violates(error, PAYMENT_ID_UNIQUE)) throw new PaymentIdInUseError();
      return translateDatabaseError(error);
    });
  }
}

/** Refused before the update, so the usual case needs no failed statement; the unique index decides a race. */
async function assertPaymentIdFree(db: Db, paymentId: string, rowId: number): Promise<void> {
  const holder = await db
    .selectFrom('orders')
    .select('id')
    .where('payment_id', '=', paymentId)
    .where('id', '<>', rowId)
    .executeTakeFirst();
  if (holder) throw new PaymentIdInUseError();
}

/** Moves one locked order: next version, history entry (dated like updated_at), and what the change sets. */
async function applyChange(db: Db, rowId: number, order: OrderSnapshot, change: OrderChange): Promise<OrderSnapshot> {
  const stored = await db
    .updateTable('orders')
    .set((eb) => ({
      status: change.status,
      version: eb('version', '+', 1),
      status_history: sql`status_history || jsonb_build_array(${historyEntry(sql`${change.status}`, sql`now()`, sql`${change.reason}`)})`,
      updated_at: sql`now()`,
      ...(change.paymentId === undefined ? {} : { payment_id: change.paymentId, paid_at: sql`now()` }),
      ...(change.trackingNumber === undefined ? {} : { tracking_number: change.trackingNumber }),
    }))
    .where('id', '=', rowId)
    .returning(['version', epochMs('updated_at').as('updated_ms')])
    .executeTakeFirstOrThrow();
  const at = new Date(stored.updated_ms);
  return {
    ...order,
    status: change.status,
    version: stored.version,
    statusHistory: [...order.statusHistory, { status: change.status, at, reason: change.reason }],
    paymentId: change.paymentId ?? order.paymentId,
    trackingNumber: change.trackingNumber === undefined ? order.trackingNumber : change.trackingNumber,
    updatedAt: at,
  };
}

interface PgErrorLike {
  code?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

function violates(error: unknown, constraint: string, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const pg = error as PgErrorLike;
  if (pg.code === '23505' && pg.constraint === constraint) return true;
  return violates(pg.cause, constraint, depth + 1);
}

export interface OrderExpiry {
  /** Pending orders placed longer ago than this expire (ORDER_PAYMENT_TTL_SECONDS). */
  readonly paymentTtlSeconds: number;
  /** Most orders expired per transaction. */
  readonly batchSize?: number;
  /** What orders stored before they recorded a currency read back in (default DEFAULT_CURRENCY). */
  readonly currency?: string;
}

/** ORDER_PAYMENT_TTL_SECONDS' default: an hour to pay. */
export const DEFAULT_ORDER_PAYMENT_TTL_SECONDS = 3_600;
const EXPIRY_BATCH = 1_000;
/** Bounds the loop: 10,000 batches of 1,000 is far more than one run ever finds. */
const MAX_EXPIRY_BATCHES = 10_000;

/**
 * Moves unpaid orders past their payment time to `expired`, a batch per
 * transaction: rows locked by a live transition are skipped (the next run
 * sees them again), and each row's state is re-checked under its lock, so an
 * order paid meanwhile stays paid. Answers how many expired.
 */
export async function expireUnpaidOrders(orm: MikroORM, outbox: OutboxWriter, expiry: OrderExpiry): Promise<number> {
  const batchSize = expiry.batchSize ?? EXPIRY_BATCH;
  let expired = 0;
  for (let batch = 0; batch < MAX_EXPIRY_BATCHES; batch++) {
    const count = await expireBatch(orm, outbox, { ...expiry, batchSize });
    expired += count;
    if (count < batchSize) break;
  }
  return expired;
}

async function expireBatch(
  orm: MikroORM,
  outbox: OutboxWriter,
  expiry: Required<Omit<OrderExpiry, 'currency'>> & OrderExpiry,
) {
  const { paymentTtlSeconds: ttlSeconds, batchSize } = expiry;
  return inTransaction(orm, async (db) => {
    const locked = await db
      .selectFrom('orders')
      .select('id')
      .where('status', '=', 'pending')
      .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${ttlSeconds})`)
      .orderBy('id')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    const ids = locked.map((row) => row.id);
    if (ids.length === 0) return discard(0);
    const moved = await db
      .updateTable('orders')
      .set({
        status: 'expired',
        version: (eb) => eb('version', '+', 1),
        status_history: sql`status_history || jsonb_build_array(${historyEntry(sql`'expired'`, sql`now()`, sql`${EXPIRY_REASON}`)})`,
        updated_at: sql`now()`,
      })
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .returning('id')
      .execute();
    if (moved.length > 0) {
      await giveBackDiscountUses(
        db,
        moved.map((row) => row.id),
      );
      const after = await selectOrders(
        db,
        db
          .selectFrom('orders')
          .select('id')
          .where(
            'id',
            'in',
            moved.map((row) => row.id),
          ),
      );
      const currency = expiry.currency ?? DEFAULT_CURRENCY;
      const expired = await moveStock(
        db,
        after.map((row) => ({ rowId: row.id, order: toOrder(row, currency) })),
      );
      await outbox.write(db, [...expired.orders.map(orderOutboxEvent), ...expired.events]);
    }
    return keep(ids.length);
  }).catch(translateDatabaseError);
}

const EXPIRY_REASON = 'not paid in time';
