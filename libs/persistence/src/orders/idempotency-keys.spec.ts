import { MikroORM } from '@mikro-orm/postgresql';
import {
  CartService,
  CheckoutService,
  DEFAULT_CART_LIMITS,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
} from '@carthub/domain';
import { createTestDatabase, queryDatabase, TestDatabase, testOutbox } from '../../testing';
import { PostgresCartRepository } from '../cart/cart-repository';
import { createOrmConfig } from '../connection/orm-config';
import { deleteExpiredIdempotencyKeys } from './idempotency-keys';
import { PostgresOrderStore } from './order-store';

describe('idempotency keys', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let carts: CartService;
  let checkout: CheckoutService;
  const details = {
    paymentMethod: 'paypal' as const,
    shippingAddress: { street: 's', city: 'c', state: 'st', zip: 'z', country: 'US' },
  };
  const request = { key: 'k', fingerprint: 'a'.repeat(64) };
  const order = (customerId: string, idempotency = request) =>
    checkout.checkout({ customerId, ...details, idempotency });
  const addPen = (customerId: string) =>
    carts.addItem({ customerId, item: { productId: 'pen', productName: 'Pen', unitPrice: 150, quantity: 1 } });
  const orders = async (customerId: string) =>
    (
      await queryDatabase<{ n: number }>(database.url, 'select count(*)::int as n from orders where customer_id = $1', [
        customerId,
      ])
    )[0].n;
  /** A key as a request of the earlier version of the service left it: claimed, in flight, `age` ago. */
  const claimedInFlight = (customerId: string, age: string) =>
    queryDatabase(
      database.url,
      `insert into idempotency_keys (customer_id, key, fingerprint, state, locked_at, created_at, expires_at)
       values ($1, $2, $3, 'in_progress', now() - $4::interval, now() - $4::interval, now() + interval '24 hours')`,
      [customerId, request.key, request.fingerprint, age],
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(createOrmConfig({ url: database.url }));
    carts = new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS);
    checkout = new CheckoutService(new PostgresOrderStore(orm, testOutbox));
  });
  afterAll(async () => {
    await orm.close(true);
    await database.drop();
  });

  it('when a key is in flight from a request of the earlier version, then the same request is IN_USE, another REUSED, and nothing is placed', async () => {
    await addPen('c1');
    await claimedInFlight('c1', '1 second');
    await expect(order('c1')).rejects.toBeInstanceOf(IdempotencyKeyInUseError);
    await expect(order('c1', { ...request, fingerprint: 'b'.repeat(64) })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    expect(await orders('c1')).toBe(0);
  });

  it('when an in-flight key was abandoned by a request that died, then the same request takes it over and places the order', async () => {
    await addPen('c2');
    await claimedInFlight('c2', '2 minutes');
    const placed = await order('c2');
    expect(placed.replayed).toBe(false);
    await expect(order('c2')).resolves.toEqual({ order: placed.order, replayed: true });
    expect(await orders('c2')).toBe(1);
  });

  it('when a key has expired, then another request may use it, and the cleanup deletes expired keys only', async () => {
    await addPen('c3');
    await order('c3', { ...request, key: 'old' });
    await addPen('c3');
    await order('c3', { ...request, key: 'fresh' });
    const expire = () =>
      queryDatabase(
        database.url,
        `update idempotency_keys set expires_at = now() - interval '1 second' where key = 'old'`,
      );
    await expire();
    await addPen('c3');
    const again = await order('c3', { key: 'old', fingerprint: 'c'.repeat(64) });
    expect(again.replayed).toBe(false);
    expect(await orders('c3')).toBe(3);
    await expire();
    await expect(deleteExpiredIdempotencyKeys(orm)).resolves.toBe(1);
    const left = await queryDatabase<{ key: string }>(
      database.url,
      `select key from idempotency_keys where customer_id = 'c3'`,
    );
    expect(left).toEqual([{ key: 'fresh' }]);
  });
});
