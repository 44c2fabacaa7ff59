import { Migration } from '@mikro-orm/migrations';

/**
 * Stock that cannot be oversold: a product's `on_hand` and `reserved`, with
 * the invariant 0 ≤ reserved ≤ on_hand held by the database itself, and each
 * order's reservations (reserved, then consumed or released). The outbox
 * learns the `stock` aggregate of stock.changed events.
 */
export class Migration20261230090000_stock extends Migration {
  override name = 'Migration20261230090000_stock';

  override up(): void {
    this.addSql(
      `create table "stock" ("product_id" varchar(255) not null, "tracked" boolean not null default true, "on_hand" bigint not null default '0', "reserved" bigint not null default '0', "version" int not null default 1, "updated_at" timestamptz not null default now(), constraint "stock_pkey" primary key ("product_id"), constraint stock_reserved_check check (0 <= reserved and reserved <= on_hand), constraint stock_version_check check (version >= 1), constraint stock_untracked_check check (tracked or (on_hand = 0 and reserved = 0)));`,
    );
    this.addSql(
      `create table "stock_reservations" ("order_id" int not null, "product_id" varchar(255) not null, "quantity" int not null, "state" varchar(16) not null default 'reserved', constraint "stock_reservations_pkey" primary key ("order_id", "product_id"), constraint stock_reservations_quantity_check check (quantity > 0), constraint stock_reservations_state_check check (state in ('reserved', 'consumed', 'released')));`,
    );
    this.addSql(
      `alter table "stock_reservations" add constraint "stock_reservations_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete cascade;`,
    );
    this.addSql(
      `create index "stock_reservations_open_index" on "stock_reservations" ("product_id") where "state" = 'reserved';`,
    );
    this.addSql(`alter table "outbox_events" drop constraint "outbox_events_aggregate_type_check";`);
    this.addSql(
      `alter table "outbox_events" add constraint "outbox_events_aggregate_type_check" check (aggregate_type in ('cart', 'order', 'stock'));`,
    );
  }

  override down(): void {
    this.addSql(`delete from "outbox_events" where "aggregate_type" = 'stock';`);
    this.addSql(`alter table "outbox_events" drop constraint "outbox_events_aggregate_type_check";`);
    this.addSql(
      `alter table "outbox_events" add constraint "outbox_events_aggregate_type_check" check (aggregate_type in ('cart', 'order'));`,
    );
    this.addSql(`drop table if exists "stock_reservations" cascade;`);
    this.addSql(`drop table if exists "stock" cascade;`);
  }
}
