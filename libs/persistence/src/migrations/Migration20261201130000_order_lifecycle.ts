import { Migration } from '@mikro-orm/migrations';

/**
 * Orders that move: a version (the ETag and the events' sequence), the history
 * of their states, the payment that paid them (one payment pays one order), a
 * tracking number, and the seven states as the only ones the column takes.
 * Orders placed before this read back at version 1 with one `pending` entry,
 * dated when they were placed.
 */
export class Migration20261201130000_order_lifecycle extends Migration {
  override name = 'Migration20261201130000_order_lifecycle';

  override up(): void {
    this.addSql(
      `alter table "orders" add "version" int not null default 1, add "status_history" jsonb null, add "payment_id" varchar(255) null, add "tracking_number" varchar(255) null, add "paid_at" timestamptz null;`,
    );
    this.addSql(
      `update "orders" set "status_history" = jsonb_build_array(jsonb_build_object('status', 'pending', 'at', to_char("created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'reason', null));`,
    );
    this.addSql(`alter table "orders" alter column "status_history" set not null;`);
    this.addSql(`alter table "orders" add constraint "orders_payment_id_unique" unique ("payment_id");`);
    this.addSql(
      `create index "orders_pending_created_at_index" on "orders" ("created_at") where "status" = 'pending';`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_version_check" check ("version" >= 1), add constraint "orders_status_check" check ("status" in ('pending', 'paid', 'fulfilled', 'delivered', 'cancelled', 'expired', 'refunded'));`,
    );
  }

  override down(): void {
    this.addSql(`drop index "orders_pending_created_at_index";`);
    this.addSql(
      `alter table "orders" drop constraint "orders_status_check", drop constraint "orders_version_check", drop constraint "orders_payment_id_unique";`,
    );
    this.addSql(
      `alter table "orders" drop column "version", drop column "status_history", drop column "payment_id", drop column "tracking_number", drop column "paid_at";`,
    );
  }
}
