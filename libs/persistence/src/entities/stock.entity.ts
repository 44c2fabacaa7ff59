import { defineEntity, InferEntity, p } from '@mikro-orm/core';

/**
 * A product's stock. A row with `tracked` false is an untracked product that
 * once was tracked: the row stays so its version (the sequence of its
 * stock.changed events) never starts again at 1.
 */
export const StockEntity = defineEntity({
  name: 'Stock',
  tableName: 'stock',
  checks: [
    // The invariant the service promises: never more promised than held, never a negative count.
    { name: 'stock_reserved_check', expression: (c) => `0 <= ${c.reserved} and ${c.reserved} <= ${c.onHand}` },
    { name: 'stock_version_check', expression: (c) => `${c.version} >= 1` },
    // Untracked: nothing held and nothing promised, so reservations can never point at it.
    { name: 'stock_untracked_check', expression: (c) => `${c.tracked} or (${c.onHand} = 0 and ${c.reserved} = 0)` },
  ],
  properties: {
    productId: p.string().length(255).primary(),
    tracked: p.boolean().default(true),
    onHand: p.bigint('number').default(0),
    reserved: p.bigint('number').default(0),
    version: p.integer().default(1),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});

export type Stock = InferEntity<typeof StockEntity>;
