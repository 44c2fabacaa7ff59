import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox: every cart and order change inserts its event here
 * in its own transaction; the relay (apps/relay) publishes the unpublished ones
 * to NATS JetStream in `position` order and stamps `published_at` after the
 * broker's acknowledgement; cleanup deletes published events past the retention.
 */
export class Migration20261201120000_outbox extends Migration {
  override name = 'Migration20261201120000_outbox';

  override up(): void {
    this.addSql(
      `create table "outbox_events" ("position" bigserial primary key, "id" uuid not null, "type" text not null, "aggregate_type" text not null, "aggregate_id" text not null, "sequence" int not null, "occurred_at" timestamptz not null, "envelope" jsonb not null, "published_at" timestamptz null);`,
    );
    this.addSql(`alter table "outbox_events" add constraint "outbox_events_id_unique" unique ("id");`);
    this.addSql(
      `alter table "outbox_events" add constraint "outbox_events_aggregate_type_aggregate_id_sequence_unique" unique ("aggregate_type", "aggregate_id", "sequence");`,
    );
    this.addSql(
      `alter table "outbox_events" add constraint "outbox_events_aggregate_type_check" check (aggregate_type in ('cart', 'order')), add constraint "outbox_events_sequence_check" check (sequence > 0);`,
    );
    this.addSql(
      `create index "outbox_events_unpublished" on "outbox_events" ("position") where "published_at" is null;`,
    );
    this.addSql(
      `create index "outbox_events_published" on "outbox_events" ("published_at") where "published_at" is not null;`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "outbox_events" cascade;`);
  }
}
