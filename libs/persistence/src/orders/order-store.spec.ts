import { MikroORM } from '@mikro-orm/postgresql';
import {
  CartService,
  CheckoutService,
  DEFAULT_CART_LIMITS,
  InvalidCursorError,
  ServiceUnavailableError,
} from '@carthub/domain';
import { PostgresCartRepository } from '../cart/cart-repository';
import { PostgresIdempotencyStore } from './idempotency-store';
import { createTestDatabase, findFreePort, TestDatabase, testOutbox } from '../../testing';
import { PostgresOrderStore } from './order-store';
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
    const keys = new PostgresIdempotencyStore(orm);
    const checkout = new CheckoutService(new PostgresOrderStore(orm, testOutbox), keys);
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
    await expect(keys.claim('buyer', request)).resolves.toEqual({
      outcome: 'completed',
      orderId: answer.order.orderId,
    });
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
