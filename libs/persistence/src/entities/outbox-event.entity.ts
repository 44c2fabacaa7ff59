import { defineEntity, InferEntity, p } from '@mikro-orm/core';

/**
 * One event of the transactional outbox: written in the transaction of the
 * change it reports, published by the relay (apps/relay), deleted by cleanup
 * once published and past the retention.
 */
export const OutboxEventEntity = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_events',
  checks: [
    {
      name: 'outbox_events_aggregate_type_check',
      expression: (columns) => `${columns.aggregateType} in ('cart', 'order', 'stock', 'discount_code')`,
    },
    { name: 'outbox_events_sequence_check', expression: (columns) => `${columns.sequence} > 0` },
    // A parked event is one the broker refused: never published, and always with its reason.
    {
      name: 'outbox_events_parked_check',
      expression: (c) => `${c.parkedAt} is null or (${c.publishedAt} is null and ${c.parkReason} is not null)`,
    },
  ],
  uniques: [{ properties: ['aggregateType', 'aggregateId', 'sequence'] }],
  indexes: [
    // What the relay reads: the unpublished events in commit order.
    {
      name: 'outbox_events_unpublished',
      expression:
        'create index "outbox_events_unpublished" on "outbox_events" ("position") where "published_at" is null',
    },
    // What cleanup deletes: published events past the retention.
    {
      name: 'outbox_events_published',
      expression:
        'create index "outbox_events_published" on "outbox_events" ("published_at") where "published_at" is not null',
    },
    // Which aggregates wait behind a parked event: the relay reads around them.
    {
      name: 'outbox_events_parked',
      expression:
        'create index "outbox_events_parked" on "outbox_events" ("aggregate_type", "aggregate_id", "position") where "parked_at" is not null',
    },
  ],
  properties: {
    // Commit order within one aggregate: its writers hold the aggregate's row lock.
    position: p.bigint().primary().autoincrement(),
    // The envelope's id, sent as Nats-Msg-Id so the broker drops a republished event.
    id: p.uuid().unique(),
    type: p.text(),
    aggregateType: p.text(),
    aggregateId: p.text(),
    sequence: p.integer(),
    occurredAt: p.datetime(),
    // The contract's whole envelope, published as its JSON text.
    envelope: p.json<Record<string, unknown>>(),
    publishedAt: p.datetime().nullable(),
    // Set by the relay when the broker refused the event for good (see Migration20261215000000_outbox_parking).
    parkedAt: p.datetime().nullable(),
    parkReason: p.text().nullable(),
  },
});

export type OutboxEvent = InferEntity<typeof OutboxEventEntity>;
