import { MikroORM } from '@mikro-orm/postgresql';
import {
  CartService,
  CheckoutService,
  DEFAULT_CART_LIMITS,
  InvalidCursorError,
  QuotaExceededError,
  ServiceUnavailableError,
} from '@carthub/domain';
import { PostgresCartRepository } from '../cart/cart-repository';
import { createTestDatabase, findFreePort, queryDatabase, TestDatabase, testOutbox } from '../../testing';
import { CheckoutStep, PostgresOrderStore } from './order-store';
import { createOrmConfig } from '../connection/orm-config';

describe('PostgresOrderStore', () => {
  let database: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(createOrmConfig({ url: database.url }));
  });
  afterAll(async () => {
    await orm.close(true);
    await database.drop();
  });

  it('when orders are placed, then they are stored whole, found by id, listed newest first, and keyed answers kept', async () => {
    const carts = new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS);
    const checkout = new CheckoutService(new PostgresOrderStore(orm, testOutbox));
    const details = {
      paymentMethod: 'apple_pay' as const,
      shippingAddress: { street: 's', city: 'c', state: 'st', zip: 'z', country: 'DE' },
    };
    const placed = [];
    for (const [i, price] of [10, 250, 99_999].entries()) {
      await carts.addItem({
        customerId: 'buyer',
        item: { productId: `p-${i}`, productName: 'P', unitPrice: price, quantity: 2 },
      });
      await carts.addItem({
        customerId: 'buyer',
        item: { productId: 'extra', productName: 'E', unitPrice: 1, quantity: 1 },
      });
      placed.push(await checkout.placeOrder({ customerId: 'buyer', ...details }));
    }
    expect(placed[2]).toMatchObject({
      totalAmount: 199_999,
      totalItems: 3,
      lines: [{ productId: 'p-2' }, { productId: 'extra' }],
    });
    await expect(checkout.getOrder(placed[1].orderId)).resolves.toEqual(placed[1]);

    const first = await checkout.listOrders('buyer', { limit: 2 });
    expect(first.orders.map((order) => order.orderId)).toEqual([placed[2].orderId, placed[1].orderId]);
    const second = await checkout.listOrders('buyer', { limit: 2, cursor: first.nextCursor });
    const { lines, reservations, ...summary } = placed[0];
    expect(reservations).toEqual([]); // stock tracking is off; a summary shows none either way
    expect(second).toEqual({ orders: [{ ...summary, lineCount: lines.length }], nextCursor: undefined });

    await carts.addItem({ customerId: 'buyer', item: { productId: 'x', productName: 'X', unitPrice: 5, quantity: 1 } });
    const request = { key: 'key-1', fingerprint: 'f'.repeat(64) };
    const answer = await checkout.checkout({ customerId: 'buyer', ...details, idempotency: request });
    await expect(checkout.checkout({ customerId: 'buyer', ...details, idempotency: request })).resolves.toEqual({
      order: answer.order,
      replayed: true,
    });
  });

  it("when checkout steps are given, then they run in the order's transaction after its write, and one that throws takes it all back", async () => {
    const carts = new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS);
    const seen: string[] = [];
    const recordLines: CheckoutStep = async ({ order, orderRowId, client }) => {
      const { rows } = await client.query<{ n: number }>(
        'select count(*)::int as n from order_items where order_id = $1',
        [orderRowId],
      );
      seen.push(`${order.orderId}:${rows[0].n}`);
    };
    const refuse: CheckoutStep = async () => {
      throw new QuotaExceededError('stock', 1);
    };
    const details = {
      paymentMethod: 'paypal' as const,
      shippingAddress: { street: 's', city: 'c', state: 'st', zip: 'z', country: 'US' },
    };
    const pen = { productId: 'pen', productName: 'Pen', unitPrice: 150, quantity: 1 };
    const request = { key: 'k-steps', fingerprint: 'f'.repeat(64) };
    await carts.addItem({ customerId: 'stepper', item: pen });
    await carts.addItem({ customerId: 'stepper', item: { ...pen, productId: 'ink' } });

    const refusing = new CheckoutService(new PostgresOrderStore(orm, testOutbox, { steps: [recordLines, refuse] }));
    await expect(refusing.checkout({ customerId: 'stepper', ...details, idempotency: request })).rejects.toBeInstanceOf(
      QuotaExceededError,
    );
    expect(seen).toHaveLength(1);
    const left = await queryDatabase<{ orders: number; keys: number; events: number }>(
      database.url,
      `select (select count(*)::int from orders where customer_id = 'stepper') as orders,
              (select count(*)::int from idempotency_keys where customer_id = 'stepper') as keys,
              (select count(*)::int from outbox_events
                where envelope -> 'data' -> 'order' ->> 'customer_id' = 'stepper' or aggregate_id = 'stepper') as events`,
    );
    // The two adds' events only.
    expect(left).toEqual([{ orders: 0, keys: 0, events: 2 }]);
    await expect(carts.getCart('stepper')).resolves.toMatchObject({ version: 2, lines: [pen, { productId: 'ink' }] });

    const placing = new CheckoutService(new PostgresOrderStore(orm, testOutbox, { steps: [recordLines] }));
    const placed = await placing.checkout({ customerId: 'stepper', ...details, idempotency: request });
    expect(seen[1]).toBe(`${placed.order.orderId}:2`);
  });

  it('when a cursor was not issued by the store, then it is refused', async () => {
    const store = new PostgresOrderStore(orm, testOutbox);
    for (const cursor of [
      '',
      'garbage',
      Buffer.from('o:0').toString('base64url'),
      Buffer.from('o:-1').toString('base64url'),
    ]) {
      await expect(store.listByCustomer('c', { limit: 5, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
  });

  it('when the database cannot be reached, then every operation fails as unavailable', async () => {
    const offline = await MikroORM.init(
      createOrmConfig({ url: `postgres://postgres@127.0.0.1:${await findFreePort()}/none` }),
    );
    const store = new PostgresOrderStore(offline, testOutbox);
    try {
      await expect(store.findById('7b0c6a59-6b0e-4a8e-9d0e-1f2a3b4c5d6e')).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
      await expect(store.listByCustomer('c', { limit: 1 })).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(store.placeOrder('c', () => ({}) as never)).rejects.toBeInstanceOf(ServiceUnavailableError);
    } finally {
      await offline.close(true);
    }
  });
});
