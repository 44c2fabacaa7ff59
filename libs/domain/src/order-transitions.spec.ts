import { InvalidTransitionError, OrderAlreadyPaidError, VersionMismatchError } from './errors';
import { OrderSnapshot } from './order';
import { OrderChange, OrderChangeResult, OrderLifecycle, OrderTransitionStore } from './order-transitions';

/** One order in memory, changed as the store would: next version, history entry. */
class OneOrder implements OrderTransitionStore {
  constructor(public order: OrderSnapshot) {}

  async changeOrder(
    _orderId: string,
    decide: (order: OrderSnapshot) => OrderChange | undefined,
  ): Promise<OrderChangeResult> {
    const change = decide(this.order);
    if (!change) return { order: this.order, changed: false };
    this.order = {
      ...this.order,
      status: change.status,
      version: this.order.version + 1,
      statusHistory: [...this.order.statusHistory, { status: change.status, at: new Date(0), reason: change.reason }],
      paymentId: change.paymentId ?? this.order.paymentId,
      trackingNumber: change.trackingNumber === undefined ? this.order.trackingNumber : change.trackingNumber,
    };
    return { order: this.order, changed: true };
  }
}

const placed: OrderSnapshot = {
  orderId: 'o-1',
  customerId: 'c',
  status: 'pending',
  lines: [],
  totalAmount: 500,
  subtotal: 500,
  discount: 0,
  discountCodes: [],
  tax: 0,
  shipping: 0,
  currency: 'USD',
  totalItems: 1,
  paymentMethod: 'paypal',
  shippingAddress: null,
  email: null,
  version: 1,
  statusHistory: [{ status: 'pending', at: new Date(0), reason: null }],
  paymentId: null,
  trackingNumber: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

const anyone = () => undefined;

describe('OrderLifecycle', () => {
  it('when a payment is reported twice, then it pays once and the repeat is a replay, even after the order moved on', async () => {
    const store = new OneOrder(placed);
    const lifecycle = new OrderLifecycle(store);
    const first = await lifecycle.pay({ orderId: 'o-1', paymentId: 'p', amount: 500, authorize: anyone });
    expect(first).toMatchObject({ replayed: false, order: { status: 'paid', version: 2, paymentId: 'p' } });
    await lifecycle.move({ orderId: 'o-1', action: 'fulfil', trackingNumber: 'T', authorize: anyone });
    const again = await lifecycle.pay({
      orderId: 'o-1',
      paymentId: 'p',
      amount: 500,
      expectedVersion: 1,
      authorize: anyone,
    });
    expect(again).toMatchObject({ replayed: true, order: { status: 'fulfilled', version: 3, trackingNumber: 'T' } });
    await expect(lifecycle.pay({ orderId: 'o-1', paymentId: 'q', amount: 500, authorize: anyone })).rejects.toThrow(
      OrderAlreadyPaidError,
    );
  });

  it('when the version is stale, or the move not allowed, then it refuses; a reason is kept in the history', async () => {
    const lifecycle = new OrderLifecycle(new OneOrder(placed));
    await expect(
      lifecycle.pay({ orderId: 'o-1', paymentId: 'p', amount: 500, expectedVersion: 2, authorize: anyone }),
    ).rejects.toThrow(VersionMismatchError);
    await expect(lifecycle.move({ orderId: 'o-1', action: 'deliver', authorize: anyone })).rejects.toThrow(
      InvalidTransitionError,
    );
    const cancelled = await lifecycle.move({
      orderId: 'o-1',
      action: 'cancel',
      reason: 'changed my mind',
      expectedVersion: 1,
      authorize: anyone,
    });
    expect(cancelled.statusHistory.at(-1)).toMatchObject({ status: 'cancelled', reason: 'changed my mind' });
    expect(cancelled.trackingNumber).toBeNull();
  });

  it('when the caller may not act, then authorize refuses before anything is decided', async () => {
    const store = new OneOrder(placed);
    const refuse = () => {
      throw new Error('not yours');
    };
    await expect(
      new OrderLifecycle(store).move({ orderId: 'o-1', action: 'cancel', authorize: refuse }),
    ).rejects.toThrow('not yours');
    expect(store.order.version).toBe(1);
  });
});
