import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { CartEntity } from './cart.entity';

export const CartItemEntity = defineEntity({
  name: 'CartItem',
  tableName: 'cart_items',
  uniques: [{ properties: ['cart', 'productId'] }],
  // The rules Cart enforces, held by the database too (Migration20261201090000_checks).
  checks: [
    { name: 'cart_items_quantity_check', expression: (columns) => `${columns.quantity} > 0` },
    { name: 'cart_items_price_check', expression: (columns) => `${columns.price} > 0` },
  ],
  properties: {
    id: p.integer().primary().autoincrement(),
    cart: () => p.manyToOne(CartEntity).deleteRule('cascade'),
    productId: p.string().length(255),
    productName: p.string().length(255),
    price: p.decimal().precision(10).scale(2),
    quantity: p.integer(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});

export type CartItem = InferEntity<typeof CartItemEntity>;
