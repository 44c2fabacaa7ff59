import { Migration } from '@mikro-orm/migrations';

/**
 * The largest order the limits allow (10,000 units at 99,999,999.99, taxed at
 * 100 %, plus the largest shipping) totals 2,000,099,999,799.99: one digit more
 * than NUMERIC(14,2) holds, so checkout failed where the quote succeeded.
 * Widening a numeric's precision at the same scale rewrites no rows (the check
 * constraints on the column are scanned once). Subtotal, tax and shipping each
 * stay within NUMERIC(14,2). `down` fails while any total needs the 15th digit.
 */
export class Migration20261221090000_order_total_width extends Migration {
  override name = 'Migration20261221090000_order_total_width';

  override up(): void {
    this.addSql(`alter table "orders" alter column "total_amount" type numeric(15,2);`);
  }

  override down(): void {
    this.addSql(`alter table "orders" alter column "total_amount" type numeric(14,2);`);
  }
}
