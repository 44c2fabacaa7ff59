import { Migration } from '@mikro-orm/migrations';

/**
 * What the shopper pays, stored apart: subtotal, tax and shipping (their sum is
 * total_amount) and the currency. Orders placed before had neither tax nor
 * shipping, so their subtotal is their total; their currency stays null and
 * reads back as the service's CURRENCY.
 */
export class Migration20261201140000_order_money extends Migration {
  override name = 'Migration20261201140000_order_money';

  override up(): void {
    this.addSql(
      `alter table "orders" add column "subtotal" numeric(14,2) null, add column "tax" numeric(14,2) not null default 0, add column "shipping" numeric(14,2) not null default 0, add column "currency" varchar(3) null;`,
    );
    this.addSql(`update "orders" set "subtotal" = "total_amount";`);
    this.addSql(
      `alter table "orders" alter column "subtotal" set not null, add constraint "orders_money_check" check ("subtotal" >= 0 and "tax" >= 0 and "shipping" >= 0 and "total_amount" = "subtotal" + "tax" + "shipping");`,
    );
  }

  override down(): void {
    this.addSql(
      `alter table "orders" drop constraint "orders_money_check", drop column "subtotal", drop column "tax", drop column "shipping", drop column "currency";`,
    );
  }
}
