import { CartItemEntity } from './cart-item.entity';
import { CartEntity } from './cart.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';

export { CartEntity, CartItemEntity, IdempotencyKeyEntity, OrderEntity, OrderItemEntity };
export const entities = [CartEntity, CartItemEntity, OrderEntity, OrderItemEntity, IdempotencyKeyEntity];
