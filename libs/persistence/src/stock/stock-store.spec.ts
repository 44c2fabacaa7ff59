import { MikroORM } from '@mikro-orm/postgresql';
import {
  CartService,
  CheckoutService,
  DEFAULT_CART_LIMITS,
  OrderLifecycle,
  StockBelowReservedError,
  StockReservedError,
  StockShortageError,
  TotalChangedError,
  VersionMismatchError,
} from '@carthub/domain';
import { createTestDatabase, queryDatabase, TestDatabase, testOutbox } from '../../testing';
import {
  createOrmConfig,
  expireUnpaidOrders,
  PostgresCartRepository,
  PostgresOrderStore,
  PostgresOrderTransitions,
  stockReservation,
} from '../index';
import { PostgresStockStore } from './stock-store';

/** The stock store and the order paths that move stock, against a real PostgreSQL. */
describe('PostgresStockStore and the orders that move stock', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let stock: PostgresStockStore;
  let carts: CartService;
  let checkout: CheckoutService;
  let lifecycle: OrderLifecycle;
  const details = {
    paymentMethod: 'paypal' as const,
    shippingAddress: { street: 's', city: 'c', state: 'st', zip: 'z', country: 'US' },
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(createOrmConfig({ url: database.url, poolMax: 10 }));
    stock = new PostgresStockStore(orm, testOutbox);
    carts = new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS);
    checkout = new CheckoutService(new PostgresOrderStore(orm, testOutbox, { steps: [stockReservation(testOutbox)] }));
    lifecycle = new OrderLifecycle(new PostgresOrderTransitions(orm, testOutbox));
  });
  afterAll(async () => {
    await orm.close(true);
    await database.drop();
  });

  async function place(customerId: string, lines: Record<string, number>, expectedTotal?: number) {
    for (const [productId, quantity] of Object.entries(lines)) {
      await carts.addItem({ customerId, item: { productId, productName: 'P', unitPrice: 100, quantity } });
    }
    return checkout.placeOrder({ customerId, ...details, expectedTotal });
  }

  it('when stock is set, adjusted and untracked, then each change moves the version and refuses what breaks the invariant', async () => {
    expect(await stock.find('s-1')).toEqual({ productId: 's-1', tracked: false });
    expect(await stock.set('s-1', 3)).toMatchObject({ onHand: 3, reserved: 0, available: 3, version: 1 });
    expect(await stock.adjust('s-1', 2, 1)).toMatchObject({ onHand: 5, version: 2 });
    await expect(stock.adjust('s-1', 2, 1)).rejects.toBeInstanceOf(VersionMismatchError);
    await expect(stock.set('s-1', 2, 9)).rejects.toBeInstanceOf(VersionMismatchError);
    await expect(stock.adjust('s-1', -6)).rejects.toBeInstanceOf(StockBelowReservedError);
    await expect(stock.adjust('s-none', -1)).rejects.toBeInstanceOf(StockBelowReservedError);
    expect(await stock.adjust('s-new', 4)).toMatchObject({ onHand: 4, version: 1 });
    expect(await stock.untrack('s-1', 2)).toEqual({ productId: 's-1', tracked: false });
    expect(await stock.untrack('s-1')).toEqual({ productId: 's-1', tracked: false });
    expect(await stock.adjust('s-1', 1)).toMatchObject({ onHand: 1, version: 4 });
    expect(await stock.availability(['s-new', 'nope', 's-new'])).toEqual([
      { productId: 's-new', tracked: true, available: 4 },
      { productId: 'nope', tracked: false, available: null },
      { productId: 's-new', tracked: true, available: 4 },
    ]);
  });

  it('when orders reserve, then untracking and falling below reserved are refused; fulfilment consumes and expiry releases', async () => {
    await stock.set('r-1', 5);
    const shipped = await place('r-buyer-1', { 'r-1': 2 });
    const unpaid = await place('r-buyer-2', { 'r-1': 1 });
    expect(await stock.find('r-1')).toMatchObject({ onHand: 5, reserved: 3 });
    await expect(stock.untrack('r-1')).rejects.toBeInstanceOf(StockReservedError);
    await expect(stock.set('r-1', 2)).rejects.toBeInstanceOf(StockBelowReservedError);

    const anyone = { authorize: () => undefined };
    await lifecycle.pay({ orderId: shipped.orderId, paymentId: 'pay-r', amount: shipped.totalAmount, ...anyone });
    const fulfilled = await lifecycle.move({ orderId: shipped.orderId, action: 'fulfil', ...anyone });
    expect(fulfilled.reservations).toEqual([{ productId: 'r-1', quantity: 2, state: 'consumed' }]);
    expect(await stock.find('r-1')).toMatchObject({ onHand: 3, reserved: 1 });

    await queryDatabase(database.url, `update orders set created_at = now() - interval '2 hours' where order_id = $1`, [
      unpaid.orderId,
    ]);
    expect(await expireUnpaidOrders(orm, testOutbox, { paymentTtlSeconds: 3600 })).toBe(1);
    expect(await stock.find('r-1')).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
  });

  it('when a line is short, then nothing is placed; with a wrong expected total too, the shortage is answered', async () => {
    await stock.set('x-1', 1);
    await expect(place('x-buyer', { 'x-1': 2 })).rejects.toBeInstanceOf(StockShortageError);
    await expect(place('x-buyer', {}, 1)).rejects.toBeInstanceOf(StockShortageError);
    await stock.adjust('x-1', 1);
    await expect(place('x-buyer', {}, 1)).rejects.toBeInstanceOf(TotalChangedError);
    expect(await stock.find('x-1')).toMatchObject({ reserved: 0 });
  });
});
