import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { CartDiscountCode } from '@carthub/domain';
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
    // The discount codes on the cart ({code, type}), in the order applied.
    discountCodes: p.json<CartDiscountCode[]>().default('[]'),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
    items: () => p.oneToMany(CartItemEntity).mappedBy('cart'),
  },
});

export type Cart = InferEntity<typeof CartEntity>;
