/**
 * Every migration, by name, in order: written out here rather than read from
 * the migration list, so a migration dropped or renamed by mistake fails the
 * tests that compare against it. Add each new migration here.
 */
export const MIGRATION_NAMES = [
  'Migration20261124000000_initial',
  'Migration20261124091814_orders',
  'Migration20261201090000_checks',
  'Migration20261201110000_idempotency_order',
  'Migration20261201120000_outbox',
  'Migration20261201130000_order_lifecycle',
  'Migration20261201140000_order_money',
  'Migration20261215000000_outbox_parking',
  'Migration20261221090000_order_total_width',
  'Migration20261230090000_stock',
  'Migration20261231090000_discount_codes',
  'Migration20261231120000_order_email',
];
