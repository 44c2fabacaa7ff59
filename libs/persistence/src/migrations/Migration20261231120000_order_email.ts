import { Migration } from '@mikro-orm/migrations';

/**
 * The receipt address checkout may take: nullable, so orders placed before
 * (and without one) need no value; adding a nullable column rewrites no rows.
 * 254 characters is the longest address SMTP can deliver to (RFC 5321's path).
 */
export class Migration20261231120000_order_email extends Migration {
  override name = 'Migration20261231120000_order_email';

  override up(): void {
    this.addSql(`alter table "orders" add column "email" varchar(254) null;`);
  }

  override down(): void {
    this.addSql(`alter table "orders" drop column "email";`);
  }
}
