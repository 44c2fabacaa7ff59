import { MikroORM } from '@mikro-orm/postgresql';
import {
  CartService,
  CheckoutService,
  DEFAULT_CART_LIMITS,
  OrderLifecycle,
  OrderNotFoundError,
  OrderSnapshot,
  PaymentIdInUseError,
} from '@carthub/domain';
import { PostgresCartRepository } from '../cart/cart-repository';
import { createTestDatabase, queryDatabase, TestDatabase, testOutbox } from '../../testing';
import { PostgresOrderStore } from './order-store';
import { expireUnpaidOrders, PostgresOrderTransitions } from './order-transitions';
import { createOrmConfig } from '../connection/orm-config';
import { kyselyOf } from '../connection/sql-plumbing';

describe('PostgresOrderTransitions', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let checkout: CheckoutService;
  let carts: CartService;
  let lifecycle: OrderLifecycle;
  let transitions: PostgresOrderTransitions;
  let counter = 0;
  const anyone = () => undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(createOrmConfig({ url: database.url }));
    carts = new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS);
    checkout = new CheckoutService(new PostgresOrderStore(orm, testOutbox));
    transitions = new PostgresOrderTransitions(orm, testOutbox);
    lifecycle = new OrderLifecycle(transitions);
  });
  afterAll(async () => {
    await orm.close(true);
    await database.drop();
  });

  async function placeOrder(): Promise<OrderSnapshot> {
    const customerId = `buyer-${++counter}`;
    await carts.addItem({ customerId, item: { productId: 'p', productName: 'P', unitPrice: 700, quantity: 1 } });
    return checkout.placeOrder({
      customerId,
      paymentMethod: 'paypal',
      shippingAddress: { street: 's', city: 'c', state: 'st', zip: 'z', country: 'US' },
    });
  }

  const age = (order: OrderSnapshot, seconds: number) =>
    queryDatabase(
      database.url,
      `update orders set created_at = now() - make_interval(secs => $2) where order_id = $1`,
      [order.orderId, seconds],
    );

  it('when an order is paid, then the stored order reads back as the answer said, and its event is order.paid at sequence 2', async () => {
    const order = await placeOrder();
    const { order: paid, replayed } = await lifecycle.pay({
      orderId: order.orderId,
      paymentId: `pay-${order.orderId}`,
      amount: 700,
      authorize: anyone,
    });
    expect(replayed).toBe(false);
    expect(await checkout.getOrder(order.orderId)).toEqual(paid);
    const events = await queryDatabase(
      database.url,
      `select type, sequence from outbox_events where aggregate_id = $1 order by position`,
      [order.orderId],
    );
    expect(events).toEqual([
      { type: 'order.placed', sequence: 1 },
      { type: 'order.paid', sequence: 2 },
    ]);
  });

  it('when the order is missing or the payment_id paid another order, then the domain errors, and nothing changes', async () => {
    await expect(transitions.changeOrder('7b0c6a59-6b0e-4a8e-9d0e-1f2a3b4c5d6e', () => undefined)).rejects.toThrow(
      OrderNotFoundError,
    );
    const [first, second] = [await placeOrder(), await placeOrder()];
    await lifecycle.pay({ orderId: first.orderId, paymentId: 'shared', amount: 700, authorize: anyone });
    await expect(
      lifecycle.pay({ orderId: second.orderId, paymentId: 'shared', amount: 700, authorize: anyone }),
    ).rejects.toThrow(PaymentIdInUseError);
    expect((await checkout.getOrder(second.orderId)).version).toBe(1);
  });

  it('when unpaid orders are past the TTL, then they expire in batches; a fresh, a paid and a locked one are left alone', async () => {
    const old = [await placeOrder(), await placeOrder(), await placeOrder(), await placeOrder(), await placeOrder()];
    const fresh = await placeOrder();
    const paid = await placeOrder();
    const locked = await placeOrder();
    for (const order of [...old, paid, locked]) await age(order, 7_200);
    await lifecycle.pay({ orderId: paid.orderId, paymentId: `pay-${paid.orderId}`, amount: 700, authorize: anyone });

    // A transition in flight on `locked` holds its row: the expiry skips it rather than wait (or expire it under it).
    const holder = orm.em.fork();
    await holder.begin();
    await kyselyOf(holder)
      .selectFrom('orders')
      .select('id')
      .where('order_id', '=', locked.orderId)
      .forUpdate()
      .execute();
    const expired = await expireUnpaidOrders(orm, testOutbox, { paymentTtlSeconds: 3_600, batchSize: 2 }).finally(() =>
      holder.rollback(),
    );

    expect(expired).toBe(old.length);
    for (const order of old) {
      const now = await checkout.getOrder(order.orderId);
      expect(now).toMatchObject({ status: 'expired', version: 2 });
      expect(now.statusHistory.map((entry) => entry.status)).toEqual(['pending', 'expired']);
    }
    expect((await checkout.getOrder(fresh.orderId)).status).toBe('pending');
    expect((await checkout.getOrder(paid.orderId)).status).toBe('paid');
    expect((await checkout.getOrder(locked.orderId)).status).toBe('pending');
    // Once its transaction is over, the next run expires it.
    await expect(expireUnpaidOrders(orm, testOutbox, { paymentTtlSeconds: 3_600 })).resolves.toBe(1);
  });
});
