import { CartItemEntity } from './cart-item.entity';
import { CartEntity } from './cart.entity';
import { DiscountCodeCustomerUseEntity, DiscountCodeEntity } from './discount-code.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { StockReservationEntity } from './stock-reservation.entity';
import { StockEntity } from './stock.entity';

export {
  CartEntity,
  CartItemEntity,
  DiscountCodeEntity,
  DiscountCodeCustomerUseEntity,
  IdempotencyKeyEntity,
  OrderEntity,
  OrderItemEntity,
  OutboxEventEntity,
  StockEntity,
  StockReservationEntity,
};
export const entities = [
  CartEntity,
  CartItemEntity,
  OrderEntity,
  OrderItemEntity,
  IdempotencyKeyEntity,
  OutboxEventEntity,
  DiscountCodeEntity,
  DiscountCodeCustomerUseEntity,
  StockEntity,
  StockReservationEntity,
];
