import { createTestDatabase, queryDatabase, TestDatabase } from '../testing';
import { migrateDatabase, revertMigrations } from './connection/migrate';

// 23514: check_violation.
const checkViolation = (constraint: string) => expect.objectContaining({ code: '23514', constraint });

describe('the CHECK constraints behind the cart rules', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  const newCartId = async (customerId: string) =>
    (
      await queryDatabase<{ id: number }>(database.url, `insert into carts (customer_id) values ($1) returning id`, [
        customerId,
      ])
    )[0].id;

  const newOrderId = async (customerId: string) =>
    (
      await queryDatabase<{ id: number }>(
        database.url,
        `insert into orders (customer_id, total_amount, subtotal, status_history) values ($1, 0, 0, '[]') returning id`,
        [customerId],
      )
    )[0].id;

  /** Inserts one line straight into `cart_items` or `order_items`, under a parent row of its own. */
  async function insertLine(table: 'cart_items' | 'order_items', price: string, quantity: number) {
    const [parent, parentId] =
      table === 'cart_items'
        ? ['cart_id', await newCartId(`check-line-${price}-${quantity}`)]
        : ['order_id', await newOrderId(`check-line-${price}-${quantity}`)];
    return queryDatabase(
      database.url,
      `insert into ${table} (${parent}, product_id, product_name, price, quantity) values ($1, 'p', 'P', $2, $3)`,
      [parentId, price, quantity],
    );
  }

  it('when a cart line with a negative quantity is inserted directly, then PostgreSQL refuses it', async () => {
    await expect(insertLine('cart_items', '1.00', -1)).rejects.toEqual(checkViolation('cart_items_quantity_check'));
  });

  it.each([
    ['a cart line of quantity 0', 'cart_items', '1.00', 0, 'cart_items_quantity_check'],
    ['a cart line priced 0', 'cart_items', '0.00', 1, 'cart_items_price_check'],
    ['an order line of quantity -1', 'order_items', '1.00', -1, 'order_items_quantity_check'],
    ['an order line priced -0.01', 'order_items', '-0.01', 1, 'order_items_price_check'],
  ] as const)(
    'when %s is inserted directly, then PostgreSQL refuses it',
    async (_case, table, price, quantity, constraint) => {
      await expect(insertLine(table, price, quantity)).rejects.toEqual(checkViolation(constraint));
    },
  );

  it('when a cart version is set below 0, then PostgreSQL refuses it', async () => {
    const cartId = await newCartId('check-version');
    await expect(queryDatabase(database.url, `update carts set version = -1 where id = $1`, [cartId])).rejects.toEqual(
      checkViolation('carts_version_check'),
    );
  });

  it.each([
    // A total below 0 also breaks total = subtotal + tax + shipping, the check PostgreSQL reports first.
    ['total_amount', '-0.01', 'orders_money_check'],
    ['subtotal', '-0.01', 'orders_money_check'],
    ['total_items', '-1', 'orders_total_items_check'],
  ])('when an order %s is set below 0, then PostgreSQL refuses it', async (column, value, constraint) => {
    const orderId = await newOrderId(`check-${constraint}`);
    await expect(
      queryDatabase(database.url, `update orders set ${column} = $1 where id = $2`, [value, orderId]),
    ).rejects.toEqual(checkViolation(constraint));
  });

  it.each([
    ['status', 'shipped', 'orders_status_check'],
    ['version', '0', 'orders_version_check'],
  ])('when an order %s is set to %s, then PostgreSQL refuses it', async (column, value, constraint) => {
    const orderId = await newOrderId(`check-${constraint}`);
    await expect(
      queryDatabase(database.url, `update orders set ${column} = $1 where id = $2`, [value, orderId]),
    ).rejects.toEqual(checkViolation(constraint));
  });

  it('when the checks migration is reverted, then its constraints are gone, and migrating again restores them', async () => {
    const own = await createTestDatabase();
    const checkNames = async () =>
      (
        await queryDatabase<{ conname: string }>(
          own.url,
          `select conname from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace order by conname`,
        )
      ).map((row) => row.conname);
    const all = [
      'cart_items_price_check',
      'cart_items_quantity_check',
      'carts_version_check',
      'discount_code_customer_uses_times_used_check',
      'discount_codes_limits_check',
      'discount_codes_times_used_check',
      'discount_codes_type_check',
      'discount_codes_value_check',
      'discount_codes_window_check',
      'order_items_price_check',
      'order_items_quantity_check',
      'orders_money_check',
      'orders_status_check',
      'orders_total_amount_check',
      'orders_total_items_check',
      'orders_version_check',
      'outbox_events_aggregate_type_check',
      'outbox_events_parked_check',
      'outbox_events_sequence_check',
      'stock_reservations_quantity_check',
      'stock_reservations_state_check',
      'stock_reserved_check',
      'stock_untracked_check',
      'stock_version_check',
    ];
    try {
      expect(await checkNames()).toEqual(all);

      await expect(revertMigrations({ url: own.url }, 'Migration20261124091814_orders')).resolves.toContain(
        'Migration20261201090000_checks',
      );
      expect(await checkNames()).toEqual([]);

      await migrateDatabase({ url: own.url });
      expect(await checkNames()).toEqual(all);
    } finally {
      await own.drop();
    }
  });
});
