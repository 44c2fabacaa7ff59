import { createEmptyDatabase, createTestDatabase, MIGRATION_NAMES, queryDatabase, TestDatabase } from '../../testing';
import { entitiesDifferFromSchema, migrateDatabase, migrationStatus, revertMigrations } from './migrate';

describe('migrateDatabase', () => {
  let database: TestDatabase;
  let empty: TestDatabase;
  let emptyUrl: string;

  beforeAll(async () => {
    [database, empty] = await Promise.all([createTestDatabase(), createEmptyDatabase()]);
    emptyUrl = empty.url;
  });

  afterAll(() => Promise.all([database.drop(), empty.drop()]));

  const ALL = MIGRATION_NAMES;

  it('when run on an empty database, then it applies every migration once; a second run applies none', async () => {
    await expect(migrateDatabase({ url: emptyUrl })).resolves.toEqual(ALL);
    await expect(migrateDatabase({ url: emptyUrl })).resolves.toEqual([]);
  });

  it('when reverted to the start, then every table is gone and migrating again restores them', async () => {
    await expect(revertMigrations({ url: emptyUrl }, 0)).resolves.toEqual([...ALL].reverse());
    const tables = await queryDatabase(
      emptyUrl,
      `select tablename from pg_tables where schemaname = 'public' and tablename <> 'mikro_orm_migrations'`,
    );
    expect(tables).toEqual([]);
    await expect(migrateDatabase({ url: emptyUrl })).resolves.toEqual(ALL);
  });

  it('when a database is fully migrated, then nothing is pending and the entities agree with its schema', async () => {
    await expect(migrationStatus({ url: database.url })).resolves.toEqual({ executed: ALL, pending: [] });
    await expect(entitiesDifferFromSchema({ url: database.url })).resolves.toBe(false);
  });

  it('when migrated, then the seed tables have their exact money columns and keys', async () => {
    const columns = await queryDatabase(
      database.url,
      `select table_name, column_name, numeric_precision, numeric_scale from information_schema.columns
          where data_type = 'numeric' and table_schema = 'public' order by table_name, column_name`,
    );
    expect(columns).toEqual([
      { table_name: 'cart_items', column_name: 'price', numeric_precision: 10, numeric_scale: 2 },
      { table_name: 'discount_codes', column_name: 'min_subtotal', numeric_precision: 14, numeric_scale: 2 },
      { table_name: 'discount_codes', column_name: 'value', numeric_precision: 15, numeric_scale: 2 },
      { table_name: 'order_items', column_name: 'discount', numeric_precision: 14, numeric_scale: 2 },
      { table_name: 'order_items', column_name: 'price', numeric_precision: 10, numeric_scale: 2 },
      { table_name: 'orders', column_name: 'discount', numeric_precision: 14, numeric_scale: 2 },
      { table_name: 'orders', column_name: 'shipping', numeric_precision: 14, numeric_scale: 2 },
      { table_name: 'orders', column_name: 'subtotal', numeric_precision: 14, numeric_scale: 2 },
      { table_name: 'orders', column_name: 'tax', numeric_precision: 14, numeric_scale: 2 },
      { table_name: 'orders', column_name: 'total_amount', numeric_precision: 15, numeric_scale: 2 },
    ]);
    const constraints = await queryDatabase<{ conname: string }>(
      database.url,
      `select conname from pg_constraint where contype in ('u', 'f') and connamespace = 'public'::regnamespace order by conname`,
    );
    expect(constraints.map((row) => row.conname)).toEqual([
      'cart_items_cart_id_foreign',
      'cart_items_cart_id_product_id_unique',
      'carts_customer_id_unique',
      'idempotency_keys_order_id_foreign',
      'order_items_order_id_foreign',
      'orders_order_id_unique',
      'orders_payment_id_unique',
      'outbox_events_aggregate_type_aggregate_id_sequence_unique',
      'outbox_events_id_unique',
      'stock_reservations_order_id_foreign',
    ]);
  });

  it('when keys stored answers before orders were referenced, then migrating points each at the order it named', async () => {
    const old = await createTestDatabase();
    try {
      await revertMigrations({ url: old.url }, 'Migration20261201090000_checks');
      const [order] = await queryDatabase<{ id: number; order_id: string }>(
        old.url,
        `insert into orders (customer_id, total_amount) values ('c', 1) returning id, order_id::text`,
      );
      await queryDatabase(
        old.url,
        `insert into idempotency_keys (customer_id, key, fingerprint, state, response_status, response_body, expires_at)
         values ('c', 'placed', 'f', 'completed', 201, $1::json, now() + interval '1 day'),
                ('c', 'in-flight', 'f', 'in_progress', null, null, now() + interval '1 day')`,
        [JSON.stringify({ success: true, order_id: order.order_id })],
      );
      await migrateDatabase({ url: old.url });
      const keys = await queryDatabase(old.url, `select key, order_id from idempotency_keys order by key`);
      expect(keys).toEqual([
        { key: 'in-flight', order_id: null },
        { key: 'placed', order_id: order.id },
      ]);
    } finally {
      await old.drop();
    }
  });
});
