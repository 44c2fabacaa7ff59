import { Migration } from '@mikro-orm/migrations';

/**
 * Discount codes (api-contract part 3). `discount_codes` holds the operator's
 * codes and `times_used`, counted by one conditional update in the order's
 * transaction; `discount_code_customer_uses` counts each customer's uses the
 * same way. A cart keeps its codes ({code, type}, in the order applied) in
 * `carts.discount_codes`, written by the cart's one version-guarded write. An
 * order keeps the codes that applied and its discount; each line its share.
 * The money check now reads total = subtotal − discount + tax + shipping
 * (existing rows have discount 0, so it holds for them as it stands).
 */
export class Migration20261231090000_discount_codes extends Migration {
  override name = 'Migration20261231090000_discount_codes';

  override up(): void {
    this.addSql(`create table "discount_codes" (
      "code" varchar(40) not null,
      "type" varchar(16) not null,
      "value" numeric(15,2) null,
      "min_subtotal" numeric(14,2) null,
      "product_ids" jsonb null,
      "starts_at" timestamptz null,
      "ends_at" timestamptz null,
      "usage_limit" int null,
      "usage_limit_per_customer" int null,
      "active" boolean not null default true,
      "times_used" int not null default 0,
      "version" int not null default 1,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "discount_codes_pkey" primary key ("code"),
      constraint "discount_codes_type_check" check (type in ('percentage', 'fixed', 'free_shipping')),
      constraint "discount_codes_value_check" check ((type = 'free_shipping' and value is null) or (type = 'percentage' and value > 0 and value <= 100) or (type = 'fixed' and value > 0)),
      constraint "discount_codes_times_used_check" check (times_used >= 0),
      constraint "discount_codes_limits_check" check ((usage_limit is null or usage_limit >= 1) and (usage_limit_per_customer is null or usage_limit_per_customer >= 1)),
      constraint "discount_codes_window_check" check (starts_at is null or ends_at is null or starts_at < ends_at));`);
    this.addSql(`create table "discount_code_customer_uses" (
      "code" varchar(40) not null,
      "customer_id" varchar(255) not null,
      "times_used" int not null default 0,
      constraint "discount_code_customer_uses_pkey" primary key ("code", "customer_id"),
      constraint "discount_code_customer_uses_times_used_check" check (times_used >= 0));`);
    this.addSql(`alter table "carts" add column "discount_codes" jsonb not null default '[]';`);
    this.addSql(`alter table "order_items" add column "discount" numeric(14,2) not null default 0;`);
    this.addSql(
      `alter table "orders" add column "discount" numeric(14,2) not null default 0, add column "discount_codes" jsonb not null default '[]';`,
    );
    this.addSql(
      `alter table "orders" drop constraint "orders_money_check", add constraint "orders_money_check" check ("subtotal" >= 0 and "tax" >= 0 and "shipping" >= 0 and "discount" >= 0 and "discount" <= "subtotal" and "total_amount" = "subtotal" - "discount" + "tax" + "shipping");`,
    );
    this.addSql(
      `alter table "outbox_events" drop constraint "outbox_events_aggregate_type_check", add constraint "outbox_events_aggregate_type_check" check (aggregate_type in ('cart', 'order', 'stock', 'discount_code'));`,
    );
  }

  override down(): void {
    this.addSql(
      `alter table "outbox_events" drop constraint "outbox_events_aggregate_type_check", add constraint "outbox_events_aggregate_type_check" check (aggregate_type in ('cart', 'order', 'stock'));`,
    );
    this.addSql(
      `alter table "orders" drop constraint "orders_money_check", add constraint "orders_money_check" check ("subtotal" >= 0 and "tax" >= 0 and "shipping" >= 0 and "total_amount" = "subtotal" + "tax" + "shipping");`,
    );
    this.addSql(`alter table "orders" drop column "discount", drop column "discount_codes";`);
    this.addSql(`alter table "order_items" drop column "discount";`);
    this.addSql(`alter table "carts" drop column "discount_codes";`);
    this.addSql(`drop table "discount_code_customer_uses";`);
    this.addSql(`drop table "discount_codes";`);
  }
}
