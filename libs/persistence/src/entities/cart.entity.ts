import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { CartItemEntity } from './cart-item.entity';

export const CartEntity = defineEntity({
  name: 'Cart',
  tableName: 'carts',
  checks: [{ name: 'carts_version_check', expression: (columns) => `${columns.version} >= 0` }],
  properties: {
    id: p.integer().primary().autoincrement(),
    customerId: p.string().length(255).unique(),
    // Every committed change bumps it; it is the cart's ETag.
    version: p.integer().default(0),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
    items: () => p.oneToMany(CartItemEntity).mappedBy('cart'),
  },
});

export type Cart = InferEntity<typeof CartEntity>;
