import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { OrderEntity } from './order.entity';

/** One Idempotency-Key of one customer: claimed while in flight, then naming the order its request placed. */
export const IdempotencyKeyEntity = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  primaryKeys: ['customerId', 'key'],
  indexes: [{ properties: ['expiresAt'] }],
  properties: {
    customerId: p.string().length(255).primary(),
    key: p.string().length(255).primary(),
    fingerprint: p.string().length(64),
    state: p.string().$type<'in_progress' | 'completed'>().length(16),
    // Null while in flight; a replay renders this order again, as the first answer did.
    order: () => p.manyToOne(OrderEntity).nullable().deleteRule('cascade'),
    lockedAt: p.datetime().defaultRaw('now()'),
    createdAt: p.datetime().defaultRaw('now()'),
    expiresAt: p.datetime(),
  },
});

export type IdempotencyKey = InferEntity<typeof IdempotencyKeyEntity>;
