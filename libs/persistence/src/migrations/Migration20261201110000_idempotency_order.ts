import { Migration } from '@mikro-orm/migrations';

/**
 * An idempotency key names the order its request placed, instead of keeping
 * the HTTP answer: a replay renders that order again. Existing keys are
 * pointed at the order their stored answer named; the answers then go.
 */
export class Migration20261201110000_idempotency_order extends Migration {
  override name = 'Migration20261201110000_idempotency_order';

  override up(): void {
    this.addSql(`alter table "idempotency_keys" add "order_id" int null;`);
    this.addSql(
      `update "idempotency_keys" as k set "order_id" = o."id" from "orders" as o where o."order_id"::text = k."response_body"->>'order_id';`,
    );
    this.addSql(
      `alter table "idempotency_keys" add constraint "idempotency_keys_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "idempotency_keys" drop column "response_status", drop column "response_body";`);
  }

  override down(): void {
    this.addSql(`alter table "idempotency_keys" add "response_status" smallint null, add "response_body" json null;`);
    this.addSql(`alter table "idempotency_keys" drop constraint "idempotency_keys_order_id_foreign";`);
    this.addSql(`alter table "idempotency_keys" drop column "order_id";`);
  }
}
