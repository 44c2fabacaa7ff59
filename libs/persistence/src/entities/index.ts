import { CartItemEntity } from './cart-item.entity';
import { CartEntity } from './cart.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';
import { OutboxEventEntity } from './outbox-event.entity';

export { CartEntity, CartItemEntity, IdempotencyKeyEntity, OrderEntity, OrderItemEntity, OutboxEventEntity };
export const entities = [
  CartEntity,
  CartItemEntity,
  OrderEntity,
  OrderItemEntity,
  IdempotencyKeyEntity,
  OutboxEventEntity,
];
