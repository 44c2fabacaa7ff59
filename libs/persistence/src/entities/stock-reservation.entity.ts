import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { STOCK_RESERVATION_STATES, StockReservationState } from '@carthub/domain';
import { OrderEntity } from './order.entity';

/** The units of one product one order holds (`reserved`), took (`consumed`) or gave back (`released`). */
export const StockReservationEntity = defineEntity({
  name: 'StockReservation',
  tableName: 'stock_reservations',
  primaryKeys: ['order', 'productId'],
  checks: [
    { name: 'stock_reservations_quantity_check', expression: (c) => `${c.quantity} > 0` },
    {
      name: 'stock_reservations_state_check',
      expression: (c) => `${c.state} in (${STOCK_RESERVATION_STATES.map((s) => `'${s}'`).join(', ')})`,
    },
  ],
  // Serves the invariant's check and the "open reservations of a product" question.
  indexes: [
    {
      name: 'stock_reservations_open_index',
      expression: `create index "stock_reservations_open_index" on "stock_reservations" ("product_id") where "state" = 'reserved'`,
    },
  ],
  properties: {
    order: () => p.manyToOne(OrderEntity).primary().deleteRule('cascade'),
    productId: p.string().length(255).primary(),
    quantity: p.integer(),
    state: p.string().$type<StockReservationState>().length(16).default('reserved'),
  },
});

export type StockReservation = InferEntity<typeof StockReservationEntity>;
