import { RawBuilder, SelectQueryBuilder, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import {
  centsFromNumeric,
  centsToDecimalText,
  OrderDiscountCode,
  OrderSnapshot,
  OrderSummary,
  StatusChange,
} from '@carthub/domain';
import { StoredOrderDiscountCode, StoredStatusChange } from '../entities/order.entity';
import { toLine } from '../cart/line-row';
import { Db, epochMs, ISO_MS_PATTERN, Tables } from '../connection/sql-plumbing';

/** Which orders to read: a query for their row keys. */
export type OrderPick = SelectQueryBuilder<Tables, 'orders', { id: number }>;

/**
 * The picked orders, newest first, without their lines. `page` picks the
 * orders (a keyset scan on the customer index) before anything else is read,
 * so lines are read only for the orders returned.
 */
function pickedOrders(db: Db, page: OrderPick) {
  return db
    .with('page', () => page)
    .selectFrom('orders as o')
    .innerJoin('page', 'page.id', 'o.id')
    .select([
      'o.id',
      'o.order_id',
      'o.customer_id',
      'o.status',
      'o.total_amount',
      'o.subtotal',
      'o.discount',
      'o.discount_codes',
      'o.tax',
      'o.shipping',
      'o.currency',
      'o.total_items',
      'o.payment_method',
      'o.shipping_address',
      'o.email',
      'o.version',
      'o.status_history',
      'o.payment_id',
      'o.tracking_number',
      epochMs('o.created_at').as('created_ms'),
      epochMs('o.updated_at').as('updated_ms'),
    ])
    .orderBy('o.id', 'desc');
}

export type OrderHeaderRow = Awaited<ReturnType<ReturnType<typeof pickedOrders>['executeTakeFirstOrThrow']>>;

/** Orders with their lines as one JSON array each, in one statement. */
export function selectOrders(db: Db, page: OrderPick) {
  return pickedOrders(db, page)
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('order_items as i')
          // As text: a JSON number would pass through a float on its way out.
          .select([
            'i.product_id',
            'i.product_name',
            sql<string>`i.price::text`.as('price'),
            'i.quantity',
            sql<string>`i.discount::text`.as('discount'),
          ])
          .whereRef('i.order_id', '=', 'o.id')
          .orderBy('i.id'),
      ).as('items'),
    )
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('stock_reservations as r')
          .select(['r.product_id', 'r.quantity', 'r.state'])
          .whereRef('r.order_id', '=', 'o.id')
          // In the order of the order's lines, as checkout answered them.
          .orderBy(
            sql`(select min(l.id) from order_items l where l.order_id = r.order_id and l.product_id = r.product_id)`,
          ),
      ).as('reservations'),
    )
    .execute();
}

export type OrderRow = Awaited<ReturnType<typeof selectOrders>>[number];

/** Like `selectOrders`, with each order's number of lines in place of the lines: its size does not grow with them. */
export function selectOrderSummaries(db: Db, page: OrderPick) {
  return pickedOrders(db, page)
    .select((eb) =>
      eb.fn
        .coalesce(
          eb
            .selectFrom('order_items as i')
            .select(sql<number>`count(*)::int`.as('n'))
            .whereRef('i.order_id', '=', 'o.id'),
          sql<number>`0`,
        )
        .as('line_count'),
    )
    .execute();
}

export type OrderSummaryRow = Awaited<ReturnType<typeof selectOrderSummaries>>[number];

/** One status_history entry, built by PostgreSQL: `at` as ISO 8601 text in UTC, to the millisecond. */
export function historyEntry(status: RawBuilder<unknown>, at: RawBuilder<unknown>, reason: RawBuilder<unknown>) {
  const iso = sql`to_char(${at} at time zone 'UTC', ${sql.lit(ISO_MS_PATTERN)})`;
  return sql`jsonb_build_object('status', ${status}::text, 'at', ${iso}, 'reason', ${reason}::text)`;
}

/** `currency`: the service's, for orders stored before they recorded their own. */
export function toOrder({ items, reservations, ...row }: OrderRow, currency: string): OrderSnapshot {
  return {
    ...toOrderHeader(row, currency),
    lines: items.map((item) => ({ ...toLine(item), discount: centsFromNumeric(item.discount) })),
    reservations: reservations.map((r) => ({ productId: r.product_id, quantity: r.quantity, state: r.state })),
  };
}

export function toOrderSummary({ line_count, ...row }: OrderSummaryRow, currency: string): OrderSummary {
  return { ...toOrderHeader(row, currency), lineCount: line_count };
}

function toOrderHeader(row: OrderHeaderRow, currency: string): Omit<OrderSnapshot, 'lines'> {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    totalAmount: centsFromNumeric(row.total_amount),
    subtotal: centsFromNumeric(row.subtotal),
    discount: centsFromNumeric(row.discount),
    discountCodes: row.discount_codes.map(({ code, type, amount }) => ({
      code,
      type,
      amount: centsFromNumeric(amount),
    })),
    tax: centsFromNumeric(row.tax),
    shipping: centsFromNumeric(row.shipping),
    currency: row.currency ?? currency,
    totalItems: row.total_items,
    paymentMethod: row.payment_method,
    shippingAddress: row.shipping_address,
    email: row.email,
    version: row.version,
    statusHistory: row.status_history.map(toStatusChange),
    paymentId: row.payment_id,
    trackingNumber: row.tracking_number,
    createdAt: new Date(row.created_ms),
    updatedAt: new Date(row.updated_ms),
  };
}

export function storedCode(code: OrderDiscountCode): StoredOrderDiscountCode {
  return { code: code.code, type: code.type, amount: centsToDecimalText(code.amount) };
}

function toStatusChange(entry: StoredStatusChange): StatusChange {
  return { status: entry.status, at: new Date(entry.at), reason: entry.reason };
}
