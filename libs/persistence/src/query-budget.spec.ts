import { Client } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { CartService, CheckoutService, DEFAULT_CART_LIMITS } from '@carthub/domain';
import { createTestDatabase, statementRecorder, TestDatabase, testOutbox, workStatements } from '../testing';
import { PostgresCartRepository } from './cart/cart-repository';
import { PostgresOrderStore } from './orders/order-store';
import { createOrmConfig } from './connection/orm-config';

/** How many statements each operation costs, counted at the driver: deterministic, unlike timings. */
describe('query budget', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  const recorder = statementRecorder();
  let carts: CartService;
  let checkout: CheckoutService;
  const details = {
    paymentMethod: 'paypal' as const,
    shippingAddress: { street: 's', city: 'c', state: 'st', zip: 'z', country: 'US' },
  };
  const item = (productId: string) => ({ productId, productName: 'P', unitPrice: 100, quantity: 1 });

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = createOrmConfig({ url: database.url });
    orm = await MikroORM.init({
      ...config,
      driverOptions: { ...config.driverOptions, onPoolCreated: recorder.onPoolCreated },
    });
    carts = new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS);
    checkout = new CheckoutService(new PostgresOrderStore(orm, testOutbox));
  });
  afterAll(async () => {
    await orm.close(true);
    await database.drop();
  });

  async function cost(operation: () => Promise<unknown>): Promise<{ all: string[]; work: string[] }> {
    recorder.clear();
    await operation();
    return { all: [...recorder.statements], work: workStatements(recorder.statements) };
  }

  async function cartWithLines(customerId: string, lines: number): Promise<void> {
    for (let i = 0; i < lines; i++) await carts.addItem({ customerId, item: item(`p-${i}`) });
  }

  it('when a cart is read, then it costs one statement', async () => {
    await cartWithLines('reader', 1);
    const { all } = await cost(() => carts.getCart('reader'));
    expect(all).toHaveLength(1);
  });

  it.each([
    // read the cart; write the line, the new version and the event if the version is still the one read
    ['add', 'adder', () => carts.addItem({ customerId: 'adder', item: item('b') })],
    ['update', 'updater', () => carts.updateQuantity({ customerId: 'updater', productId: 'p-0', quantity: 4 })],
    ['remove', 'remover', () => carts.removeItem({ customerId: 'remover', productId: 'p-0' })],
    ['clear', 'clearer', () => carts.clearCart({ customerId: 'clearer' })],
  ])(
    'when a line is changed (%s), then it costs two statements and no transaction',
    async (_, customerId, operation) => {
      await cartWithLines(customerId, 1);
      const { all } = await cost(operation);
      expect(all).toHaveLength(2);
    },
  );

  it('when another writer changed the cart since it was read, then the change is made again under the lock', async () => {
    await cartWithLines('raced', 1);
    // Another transaction holds the cart's row: this add reads the cart, then its swap waits on that row.
    const other = new Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`select 1 from carts where customer_id = 'raced' for update`);
      recorder.clear();
      const adding = carts.addItem({ customerId: 'raced', item: item('x') });
      await waitForLockWaiter(other);
      // The other writer moves the version on, so the swap's guard no longer matches once the row is free.
      await other.query(`update carts set version = version + 1 where customer_id = 'raced'`);
      await other.query('commit');
      const added = await adding;
      expect(added.cart.lines.map((line) => line.productId)).toEqual(['p-0', 'x']);
      expect(added.cart.version).toBe(3);
      // read, swap (missed); then begin, read under the lock, swap, commit
      expect(recorder.statements).toHaveLength(2 + 4);
      expect(recorder.statements.filter((text) => /^(begin|commit)$/i.test(text))).toHaveLength(2);
    } finally {
      await other.end();
    }
  });

  it('when a keyed checkout is placed, then it costs two statements inside begin and commit, and notifies no one', async () => {
    // read the cart under its lock with the key and the clock; write the order, its lines, the key, the emptied
    // cart and both events in the cart's one version-guarded write
    await cartWithLines('buyer', 1);
    const request = { key: 'k-buyer', fingerprint: 'f'.repeat(64) };
    const { all, work } = await cost(() =>
      checkout.checkout({ customerId: 'buyer', ...details, idempotency: request }),
    );
    expect(work).toHaveLength(2);
    expect(all).toHaveLength(4);
    expect(all.filter((text) => /notify/i.test(text))).toEqual([]);
  });

  it('when a cart of 40 lines is checked out, then it costs what a cart of 1 line does', async () => {
    await cartWithLines('big-buyer', 40);
    const request = { key: 'k-big', fingerprint: 'f'.repeat(64) };
    const { work } = await cost(() => checkout.checkout({ customerId: 'big-buyer', ...details, idempotency: request }));
    expect(work).toHaveLength(2);
  });

  it('when the per-customer quotas are on, then a keyed checkout still costs two statements', async () => {
    const quotas = { ordersPerMinute: 10, liveKeysPerCustomer: 10 };
    const limited = new CheckoutService(new PostgresOrderStore(orm, testOutbox, quotas));
    await cartWithLines('limited', 1);
    const request = { key: 'k-limited', fingerprint: 'f'.repeat(64) };
    const { work } = await cost(() => limited.checkout({ customerId: 'limited', ...details, idempotency: request }));
    expect(work).toHaveLength(2);
  });

  it('when a completed key is replayed, then the order is read and nothing is written', async () => {
    await cartWithLines('replayer', 1);
    const request = { key: 'k-replay', fingerprint: 'f'.repeat(64) };
    await checkout.checkout({ customerId: 'replayer', ...details, idempotency: request });
    const { work } = await cost(() => checkout.checkout({ customerId: 'replayer', ...details, idempotency: request }));
    expect(work.filter((text) => /\binsert into\b|\bupdate \w+ set\b|\bdelete from\b/i.test(text))).toEqual([]);
    expect(work).toHaveLength(2);
  });
});

/** Waits until some other session is waiting for a row lock (the swap behind `holder`'s lock). */
async function waitForLockWaiter(holder: Client): Promise<void> {
  for (;;) {
    const { rows } = await holder.query(
      `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
