import { MikroORM } from '@mikro-orm/postgresql';
import { CartService, CheckoutService, DEFAULT_CART_LIMITS } from '@carthub/domain';
import { createTestDatabase, statementRecorder, TestDatabase, testOutbox, workStatements } from '../testing';
import { PostgresCartRepository } from './cart-repository';
import { PostgresIdempotencyStore } from './idempotency-store';
import { PostgresOrderStore } from './order-store';
import { createOrmConfig } from './orm-config';

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
    orm = await MikroORM.init({
      ...createOrmConfig({ url: database.url }),
      onCreateConnection: recorder.onCreateConnection,
    });
    carts = new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS);
    checkout = new CheckoutService(new PostgresOrderStore(orm, testOutbox), new PostgresIdempotencyStore(orm));
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
    // lock, load the lines and bump the version, upsert the line, write the event (and wake the relay)
    ['add', 'adder', () => carts.addItem({ customerId: 'adder', item: item('b') }), 4],
    ['update', 'updater', () => carts.updateQuantity({ customerId: 'updater', productId: 'p-0', quantity: 4 }), 4],
    // lock, load the lines and bump the version, delete the line(s), write the event
    ['remove', 'remover', () => carts.removeItem({ customerId: 'remover', productId: 'p-0' }), 4],
    ['clear', 'clearer', () => carts.clearCart({ customerId: 'clearer' }), 4],
  ])('when a line is changed (%s), then it costs exactly its statements', async (_, customerId, operation, count) => {
    await cartWithLines(customerId, 1);
    const { work } = await cost(operation);
    expect(work).toHaveLength(count);
  });

  it('when a line is changed, then its statements run in one transaction', async () => {
    await cartWithLines('one-transaction', 1);
    const { all } = await cost(() => carts.addItem({ customerId: 'one-transaction', item: item('b') }));
    expect([all[0], all[all.length - 1]]).toEqual([
      expect.stringMatching(/^begin/i),
      expect.stringMatching(/^commit/i),
    ]);
  });

  it('when a keyed checkout is placed, then it costs exactly 8 statements', async () => {
    // claim the key, lock, load and bump, insert the order, insert its lines, complete the key, empty the cart,
    // write both events (order.placed, cart.cleared)
    await cartWithLines('buyer', 1);
    const request = { key: 'k-buyer', fingerprint: 'f'.repeat(64) };
    const { work } = await cost(() => checkout.checkout({ customerId: 'buyer', ...details, idempotency: request }));
    expect(work).toHaveLength(8);
  });

  it('when a cart of 40 lines is checked out, then it costs what a cart of 1 line does', async () => {
    await cartWithLines('big-buyer', 40);
    const request = { key: 'k-big', fingerprint: 'f'.repeat(64) };
    const { work } = await cost(() => checkout.checkout({ customerId: 'big-buyer', ...details, idempotency: request }));
    expect(work).toHaveLength(8);
  });
});
