import { Migration } from '@mikro-orm/migrations';

/**
 * Real orders: a public unguessable id, payment and shipping details, an
 * index for "a customer's orders, newest first", and idempotency keys.
 * Orders stored before this have no payment or address, so those stay nullable.
 */
export class Migration20261124091814_orders extends Migration {
  override name = 'Migration20261124091814_orders';

  override up(): void {
    this.addSql(
      `create table "idempotency_keys" ("customer_id" varchar(255) not null, "key" varchar(255) not null, "fingerprint" varchar(64) not null, "state" varchar(16) not null, "response_status" smallint null, "response_body" json null, "locked_at" timestamptz not null default now(), "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, primary key ("customer_id", "key"));`,
    );
    this.addSql(`create index "idempotency_keys_expires_at_index" on "idempotency_keys" ("expires_at");`);

    this.addSql(
      `alter table "orders" add "order_id" uuid not null default gen_random_uuid(), add "total_items" int not null default 0, add "payment_method" varchar(32) null, add "shipping_address" jsonb null;`,
    );
    this.addSql(`alter table "orders" add constraint "orders_order_id_unique" unique ("order_id");`);
    this.addSql(`create index "orders_customer_id_id_index" on "orders" ("customer_id", "id" desc);`);

    this.addSql(`create index "order_items_order_id_index" on "order_items" ("order_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "idempotency_keys" cascade;`);
    this.addSql(`drop index "order_items_order_id_index";`);
    this.addSql(`alter table "orders" drop constraint "orders_order_id_unique";`);
    this.addSql(`drop index "orders_customer_id_id_index";`);
    this.addSql(
      `alter table "orders" drop column "order_id", drop column "total_items", drop column "payment_method", drop column "shipping_address";`,
    );
  }
}
