import { sql } from 'kysely';
import {
  centsToDecimalText,
  NewOrder,
  OrderSnapshot,
  OrderSummary,
  centsFromNumeric,
  PaymentMethod,
  ShippingAddress,
} from '@carthub/domain';
import { LineRow, toLine } from './line-row';
import { Db, epochMs } from './sql-plumbing';

export interface OrderSummaryRow {
  id: number;
  order_id: string;
  customer_id: string;
  status: 'pending';
  total_amount: string;
  total_items: number;
  payment_method: PaymentMethod;
  shipping_address: ShippingAddress;
  created_ms: number;
  updated_ms: number;
  line_count: number;
}

export interface OrderRow extends Omit<OrderSummaryRow, 'line_count'> {
  items: LineRow[];
}

const orderColumns = sql`o.id, o.order_id, o.customer_id, o.status, o.total_amount::text, o.total_items,
  o.payment_method, o.shipping_address, ${epochMs('o.created_at')} as created_ms, ${epochMs('o.updated_at')} as updated_ms`;

/**
 * Orders with their lines as one JSON array each, in one statement. `page`
 * picks the orders (a keyset scan on the customer index), so lines are read
 * only for the orders returned.
 */
export async function selectOrders(db: Db, page: ReturnType<typeof sql>): Promise<OrderRow[]> {
  const { rows } = await sql<OrderRow>`
    with page as (${page})
    select ${orderColumns},
           coalesce((select json_agg(json_build_object('product_id', i.product_id, 'product_name', i.product_name,
                                                       'price', i.price::text, 'quantity', i.quantity) order by i.id)
                       from order_items i where i.order_id = o.id), '[]') as items
      from orders o join page on page.id = o.id
     order by o.id desc`.execute(db);
  return rows;
}

/** Like `selectOrders`, with each order's number of lines in place of the lines: its size does not grow with them. */
export async function selectOrderSummaries(db: Db, page: ReturnType<typeof sql>): Promise<OrderSummaryRow[]> {
  const { rows } = await sql<OrderSummaryRow>`
    with page as (${page})
    select ${orderColumns}, (select count(*)::int from order_items i where i.order_id = o.id) as line_count
      from orders o join page on page.id = o.id
     order by o.id desc`.execute(db);
  return rows;
}

export async function insertOrder(db: Db, order: NewOrder): Promise<OrderSnapshot> {
  const { rows } = await sql<Pick<OrderRow, 'id' | 'order_id' | 'created_ms' | 'updated_ms'>>`
    insert into orders (customer_id, status, total_amount, total_items, payment_method, shipping_address)
    values (${order.customerId}, ${order.status}, ${centsToDecimalText(order.totalAmount)}, ${order.totalItems},
            ${order.paymentMethod}, ${JSON.stringify(order.shippingAddress)}::jsonb)
    returning id, order_id, ${epochMs('created_at')} as created_ms, ${epochMs('updated_at')} as updated_ms`.execute(db);
  const [stored] = rows;
  const lines = order.lines;
  // One statement for every line, kept in cart order.
  await sql`
    insert into order_items (order_id, product_id, product_name, price, quantity)
    select ${stored.id}, product_id, product_name, price, quantity
      from unnest(${lines.map((l) => l.productId)}::text[], ${lines.map((l) => l.productName)}::text[],
                  ${lines.map((l) => centsToDecimalText(l.unitPrice))}::numeric[], ${lines.map((l) => l.quantity)}::int[])
           with ordinality as line(product_id, product_name, price, quantity, position)
     order by position`.execute(db);
  return {
    ...order,
    orderId: stored.order_id,
    createdAt: new Date(stored.created_ms),
    updatedAt: new Date(stored.updated_ms),
  };
}

export function toOrder({ items, ...row }: OrderRow): OrderSnapshot {
  return { ...toOrderHeader(row), lines: items.map(toLine) };
}

export function toOrderSummary({ line_count, ...row }: OrderSummaryRow): OrderSummary {
  return { ...toOrderHeader(row), lineCount: line_count };
}

function toOrderHeader(row: Omit<OrderSummaryRow, 'line_count'>): Omit<OrderSnapshot, 'lines'> {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    totalAmount: centsFromNumeric(row.total_amount),
    totalItems: row.total_items,
    paymentMethod: row.payment_method,
    shippingAddress: row.shipping_address,
    createdAt: new Date(row.created_ms),
    updatedAt: new Date(row.updated_ms),
  };
}
