import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { OrderItemEntity } from './order-item.entity';

export const OrderEntity = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: p.integer().primary().autoincrement(),
    customerId: p.string().length(255),
    // Wider than the seed's DECIMAL(10,2): the largest cart is worth ~9.9 × 10^11.
    totalAmount: p.decimal().precision(14).scale(2),
    status: p.string().length(50).default('pending'),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
    items: () => p.oneToMany(OrderItemEntity).mappedBy('order'),
  },
});

export type Order = InferEntity<typeof OrderEntity>;
