import { MikroORM } from '@mikro-orm/postgresql';
import { CartService, CheckoutService, DEFAULT_CART_LIMITS } from '@carthub/domain';
import { createTestDatabase, statementRecorder, TestDatabase, workStatements } from '../testing';
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
    carts = new CartService(new PostgresCartRepository(orm), DEFAULT_CART_LIMITS);
    checkout = new CheckoutService(new PostgresOrderStore(orm), new PostgresIdempotencyStore(orm));
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

  it('when a cart is read, then it costs one statement (at most two allowed)', async () => {
    await carts.addItem({ customerId: 'reader', item: item('a') });
    const { all } = await cost(() => carts.getCart('reader'));
    expect(all).toHaveLength(1);
  });

  it.each([
    ['add', () => carts.addItem({ customerId: 'writer', item: item('b') })],
    ['update', () => carts.updateQuantity({ customerId: 'writer', productId: 'a', quantity: 4 })],
    ['remove', () => carts.removeItem({ customerId: 'writer', productId: 'b' })],
    ['clear', () => carts.clearCart({ customerId: 'writer' })],
  ])('when a line is changed (%s), then it is one transaction of at most 5 statements', async (_, operation) => {
    await carts.addItem({ customerId: 'writer', item: item('a') });
    const { all, work } = await cost(operation);
    expect(all[0]).toMatch(/^begin/i);
    expect(all[all.length - 1]).toMatch(/^commit/i);
    expect(work.length).toBeLessThanOrEqual(5);
  });

  it('when carts of 1 and of 40 lines are checked out, then both cost the same number of statements', async () => {
    const costs = [];
    for (const lines of [1, 40]) {
      const customerId = `buyer-${lines}`;
      for (let i = 0; i < lines; i++) await carts.addItem({ customerId, item: item(`p-${i}`) });
      const request = { key: `k-${lines}`, fingerprint: 'f'.repeat(64) };
      costs.push(
        (
          await cost(() =>
            checkout.checkout({ customerId, ...details, idempotency: request }),
          )
        ).all,
      );
    }
    expect(costs[1].length).toBe(costs[0].length);
    expect(workStatements(costs[1]).length).toBeLessThanOrEqual(7);
  });
});
