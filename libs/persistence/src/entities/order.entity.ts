import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { OrderStatus, PaymentMethod, ShippingAddress } from '@carthub/domain';
import { OrderItemEntity } from './order-item.entity';

export const OrderEntity = defineEntity({
  name: 'Order',
  tableName: 'orders',
  checks: [
    { name: 'orders_total_amount_check', expression: (columns) => `${columns.totalAmount} >= 0` },
    { name: 'orders_total_items_check', expression: (columns) => `${columns.totalItems} >= 0` },
    {
      name: 'orders_money_check',
      expression: (c) =>
        `${c.subtotal} >= 0 and ${c.tax} >= 0 and ${c.shipping} >= 0 and ${c.totalAmount} = ${c.subtotal} + ${c.tax} + ${c.shipping}`,
    },
  ],
  // Serves "a customer's orders, newest first" as a keyset scan.
  indexes: [
    {
      name: 'orders_customer_id_id_index',
      expression: 'create index "orders_customer_id_id_index" on "orders" ("customer_id", "id" desc)',
    },
  ],
  properties: {
    id: p.integer().primary().autoincrement(),
    // The public id: random, so order ids cannot be guessed from one another.
    orderId: p.uuid().unique().defaultRaw('gen_random_uuid()'),
    customerId: p.string().length(255),
    // Wider than the seed's DECIMAL(10,2): the largest cart is worth ~9.9 × 10^11.
    totalAmount: p.decimal().precision(14).scale(2),
    subtotal: p.decimal().precision(14).scale(2),
    tax: p.decimal().precision(14).scale(2).default(0),
    shipping: p.decimal().precision(14).scale(2).default(0),
    // Null on orders placed before currencies were stored: they read back as the service's CURRENCY.
    currency: p.string().length(3).nullable(),
    totalItems: p.integer().default(0),
    status: p.string().$type<OrderStatus>().length(50).default('pending'),
    // Null only on orders stored before checkout recorded them (see Migration20261124091814_orders).
    paymentMethod: p.string().$type<PaymentMethod>().length(32).nullable(),
    shippingAddress: p.json<ShippingAddress>().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
    items: () => p.oneToMany(OrderItemEntity).mappedBy('order'),
  },
});

export type Order = InferEntity<typeof OrderEntity>;
