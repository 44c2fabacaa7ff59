import { Migration } from '@mikro-orm/migrations';

/**
 * Parked events: ones the broker refused for good (too large for it), set
 * aside by the relay with the reason so that the others keep flowing. A parked
 * event is never published until an operator clears `parked_at`; the later
 * events of its aggregate wait behind it (the relay reads around them through
 * the small index on parked rows). The check is added unvalidated and then
 * validated, so the table is not locked against writes while every row is read.
 */
export class Migration20261215000000_outbox_parking extends Migration {
  override name = 'Migration20261215000000_outbox_parking';

  override up(): void {
    this.addSql(
      `alter table "outbox_events" add column "parked_at" timestamptz null, add column "park_reason" text null;`,
    );
    this.addSql(
      `alter table "outbox_events" add constraint "outbox_events_parked_check" check ("parked_at" is null or ("published_at" is null and "park_reason" is not null)) not valid;`,
    );
    this.addSql(`alter table "outbox_events" validate constraint "outbox_events_parked_check";`);
    this.addSql(
      `create index "outbox_events_parked" on "outbox_events" ("aggregate_type", "aggregate_id", "position") where "parked_at" is not null;`,
    );
  }

  override down(): void {
    this.addSql(`drop index "outbox_events_parked";`);
    this.addSql(
      `alter table "outbox_events" drop constraint "outbox_events_parked_check", drop column "parked_at", drop column "park_reason";`,
    );
  }
}
