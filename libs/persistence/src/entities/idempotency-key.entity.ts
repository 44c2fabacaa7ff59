import { defineEntity, InferEntity, p } from '@mikro-orm/core';

/** One Idempotency-Key of one customer: claimed while in flight, then holding the first response. */
export const IdempotencyKeyEntity = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  primaryKeys: ['customerId', 'key'],
  indexes: [{ properties: ['expiresAt'] }],
  properties: {
    customerId: p.string().length(255).primary(),
    key: p.string().length(255).primary(),
    fingerprint: p.string().length(64),
    state: p.string().length(16),
    responseStatus: p.smallint().nullable(),
    // json, not jsonb: a replay must send back the very bytes of the first answer, key order included.
    responseBody: p.json<unknown>().columnType('json').nullable(),
    lockedAt: p.datetime().defaultRaw('now()'),
    createdAt: p.datetime().defaultRaw('now()'),
    expiresAt: p.datetime(),
  },
});

export type IdempotencyKey = InferEntity<typeof IdempotencyKeyEntity>;
