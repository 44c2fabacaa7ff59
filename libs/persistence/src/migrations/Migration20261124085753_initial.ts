import { Migration } from '@mikro-orm/migrations';

export class Migration20261124085753_initial extends Migration {
  override name = 'Migration20261124085753_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "carts" ("id" serial primary key, "customer_id" varchar(255) not null, "version" int not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "carts" add constraint "carts_customer_id_unique" unique ("customer_id");`);

    this.addSql(
      `create table "cart_items" ("id" serial primary key, "cart_id" int not null, "product_id" varchar(255) not null, "product_name" varchar(255) not null, "price" numeric(10,2) not null, "quantity" int not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(
      `alter table "cart_items" add constraint "cart_items_cart_id_product_id_unique" unique ("cart_id", "product_id");`,
    );

    this.addSql(
      `create table "orders" ("id" serial primary key, "customer_id" varchar(255) not null, "total_amount" numeric(14,2) not null, "status" varchar(50) not null default 'pending', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "orders_customer_id_index" on "orders" ("customer_id");`);

    this.addSql(
      `create table "order_items" ("id" serial primary key, "order_id" int not null, "product_id" varchar(255) not null, "product_name" varchar(255) not null, "price" numeric(10,2) not null, "quantity" int not null, "created_at" timestamptz not null default now());`,
    );

    this.addSql(
      `alter table "cart_items" add constraint "cart_items_cart_id_foreign" foreign key ("cart_id") references "carts" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "order_items" add constraint "order_items_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete cascade;`,
    );
  }
}
