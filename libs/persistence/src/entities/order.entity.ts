import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { DiscountType, ORDER_STATES, OrderState, PaymentMethod, ShippingAddress } from '@carthub/domain';
import { OrderItemEntity } from './order-item.entity';

/** A history entry as the jsonb column holds it: `at` as ISO 8601 text. */
export interface StoredStatusChange {
  readonly status: OrderState;
  readonly at: string;
  readonly reason: string | null;
}

/** An applied code as the jsonb column holds it: `amount` as two-decimal text. */
export interface StoredOrderDiscountCode {
  readonly code: string;
  readonly type: DiscountType;
  readonly amount: string;
}

export const OrderEntity = defineEntity({
  name: 'Order',
  tableName: 'orders',
  checks: [
    { name: 'orders_total_amount_check', expression: (columns) => `${columns.totalAmount} >= 0` },
    { name: 'orders_total_items_check', expression: (columns) => `${columns.totalItems} >= 0` },
    { name: 'orders_version_check', expression: (columns) => `${columns.version} >= 1` },
    {
      name: 'orders_status_check',
      expression: (columns) => `${columns.status} in (${ORDER_STATES.map((s) => `'${s}'`).join(', ')})`,
    },
    {
      name: 'orders_money_check',
      expression: (c) =>
        `${c.subtotal} >= 0 and ${c.tax} >= 0 and ${c.shipping} >= 0 and ${c.discount} >= 0 and ${c.discount} <= ${c.subtotal} and ${c.totalAmount} = ${c.subtotal} - ${c.discount} + ${c.tax} + ${c.shipping}`,
    },
  ],
  // Serves "a customer's orders, newest first" as a keyset scan.
  indexes: [
    {
      name: 'orders_customer_id_id_index',
      expression: 'create index "orders_customer_id_id_index" on "orders" ("customer_id", "id" desc)',
    },
    // Serves the cleanup's "unpaid orders placed before …": only pending orders are in it.
    {
      name: 'orders_pending_created_at_index',
      expression: `create index "orders_pending_created_at_index" on "orders" ("created_at") where "status" = 'pending'`,
    },
  ],
  properties: {
    id: p.integer().primary().autoincrement(),
    // The public id: random, so order ids cannot be guessed from one another.
    orderId: p.uuid().unique().defaultRaw('gen_random_uuid()'),
    customerId: p.string().length(255),
    // Wider than the seed's DECIMAL(10,2): the largest order total the limits allow (MAX_ORDER_TOTAL_CENTS) is ~2 × 10^12.
    totalAmount: p.decimal().precision(15).scale(2),
    subtotal: p.decimal().precision(14).scale(2),
    // What discount codes took off the lines; the codes that applied, with their amounts (Migration20261231090000_discount_codes).
    discount: p.decimal().precision(14).scale(2).default(0),
    discountCodes: p.json<StoredOrderDiscountCode[]>().default('[]'),
    tax: p.decimal().precision(14).scale(2).default(0),
    shipping: p.decimal().precision(14).scale(2).default(0),
    // Null on orders placed before currencies were stored: they read back as the service's CURRENCY.
    currency: p.string().length(3).nullable(),
    totalItems: p.integer().default(0),
    status: p.string().$type<OrderState>().length(50).default('pending'),
    // 1 when placed, +1 per transition: the order's ETag and its events' sequence.
    version: p.integer().default(1),
    // Every state the order has been in, oldest first (see Migration20261201130000_order_lifecycle).
    statusHistory: p.json<StoredStatusChange[]>(),
    // Unique across orders: a payment pays one order, however often it is reported.
    paymentId: p.string().length(255).nullable().unique(),
    trackingNumber: p.string().length(255).nullable(),
    paidAt: p.datetime().nullable(),
    // Null only on orders stored before checkout recorded them (see Migration20261124091814_orders).
    paymentMethod: p.string().$type<PaymentMethod>().length(32).nullable(),
    shippingAddress: p.json<ShippingAddress>().nullable(),
    // The receipt address checkout may take (see Migration20261231120000_order_email).
    email: p.string().length(254).nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
    items: () => p.oneToMany(OrderItemEntity).mappedBy('order'),
  },
});

export type Order = InferEntity<typeof OrderEntity>;
