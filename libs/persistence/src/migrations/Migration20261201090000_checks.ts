import { Migration } from '@mikro-orm/migrations';

/**
 * The cart's invariants held by the database too: a line has a positive
 * quantity and price, a version or a total is never negative. A bug in any
 * writer, or a hand-run statement, fails here instead of storing a broken cart.
 */
export class Migration20261201090000_checks extends Migration {
  override name = 'Migration20261201090000_checks';

  override up(): void {
    this.addSql(
      `alter table "cart_items" add constraint "cart_items_quantity_check" check ("quantity" > 0), add constraint "cart_items_price_check" check ("price" > 0);`,
    );
    this.addSql(
      `alter table "order_items" add constraint "order_items_quantity_check" check ("quantity" > 0), add constraint "order_items_price_check" check ("price" > 0);`,
    );
    this.addSql(`alter table "carts" add constraint "carts_version_check" check ("version" >= 0);`);
    this.addSql(
      `alter table "orders" add constraint "orders_total_amount_check" check ("total_amount" >= 0), add constraint "orders_total_items_check" check ("total_items" >= 0);`,
    );
  }

  override down(): void {
    this.addSql(
      `alter table "orders" drop constraint "orders_total_amount_check", drop constraint "orders_total_items_check";`,
    );
    this.addSql(`alter table "carts" drop constraint "carts_version_check";`);
    this.addSql(
      `alter table "order_items" drop constraint "order_items_quantity_check", drop constraint "order_items_price_check";`,
    );
    this.addSql(
      `alter table "cart_items" drop constraint "cart_items_quantity_check", drop constraint "cart_items_price_check";`,
    );
  }
}
