import { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000000_initial } from './Migration20261124000000_initial';
import { Migration20261124091814_orders } from './Migration20261124091814_orders';
import { Migration20261201090000_checks } from './Migration20261201090000_checks';
import { Migration20261201110000_idempotency_order } from './Migration20261201110000_idempotency_order';
import { Migration20261201120000_outbox } from './Migration20261201120000_outbox';
import { Migration20261201130000_order_lifecycle } from './Migration20261201130000_order_lifecycle';
import { Migration20261201140000_order_money } from './Migration20261201140000_order_money';
import { Migration20261215000000_outbox_parking } from './Migration20261215000000_outbox_parking';
import { Migration20261221090000_order_total_width } from './Migration20261221090000_order_total_width';
import { Migration20261230090000_stock } from './Migration20261230090000_stock';
import { Migration20261231090000_discount_codes } from './Migration20261231090000_discount_codes';
import { Migration20261231120000_order_email } from './Migration20261231120000_order_email';

/** Every migration, oldest first. Never edit one that has been committed: add another. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261124000000_initial', class: Migration20261124000000_initial },
  { name: 'Migration20261124091814_orders', class: Migration20261124091814_orders },
  { name: 'Migration20261201090000_checks', class: Migration20261201090000_checks },
  { name: 'Migration20261201110000_idempotency_order', class: Migration20261201110000_idempotency_order },
  { name: 'Migration20261201120000_outbox', class: Migration20261201120000_outbox },
  { name: 'Migration20261201130000_order_lifecycle', class: Migration20261201130000_order_lifecycle },
  { name: 'Migration20261201140000_order_money', class: Migration20261201140000_order_money },
  { name: 'Migration20261215000000_outbox_parking', class: Migration20261215000000_outbox_parking },
  { name: 'Migration20261221090000_order_total_width', class: Migration20261221090000_order_total_width },
  { name: 'Migration20261230090000_stock', class: Migration20261230090000_stock },
  { name: 'Migration20261231090000_discount_codes', class: Migration20261231090000_discount_codes },
  { name: 'Migration20261231120000_order_email', class: Migration20261231120000_order_email },
];
