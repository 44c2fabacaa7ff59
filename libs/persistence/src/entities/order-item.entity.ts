import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { OrderEntity } from './order.entity';

export const OrderItemEntity = defineEntity({
  name: 'OrderItem',
  tableName: 'order_items',
  checks: [
    { name: 'order_items_quantity_check', expression: (columns) => `${columns.quantity} > 0` },
    { name: 'order_items_price_check', expression: (columns) => `${columns.price} > 0` },
  ],
  properties: {
    id: p.integer().primary().autoincrement(),
    order: () => p.manyToOne(OrderEntity).deleteRule('cascade').index(),
    productId: p.string().length(255),
    productName: p.string().length(255),
    price: p.decimal().precision(10).scale(2),
    quantity: p.integer(),
    // The line's share of the order's discount.
    discount: p.decimal().precision(14).scale(2).default(0),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});

export type OrderItem = InferEntity<typeof OrderItemEntity>;
