import { Cart } from './cart';
import { CheckoutService } from './checkout-service';
import { DEFAULT_CART_LIMITS } from './cart-limits';
import { CartEmptyError, IdempotencyKeyInUseError, IdempotencyKeyReusedError, OrderNotFoundError } from './errors';
import { NewOrder, OrderSnapshot } from './order';
import { IdempotencyClaim, IdempotencyStore, IdempotentRequest } from './idempotency';
import { OrderStore } from './order-store';

/** Orders and keys in memory: enough to check the use case's decisions, not storage. */
class InMemoryOrders implements OrderStore {
  readonly orders: OrderSnapshot[] = [];
  readonly completed = new Map<string, string>();
  constructor(readonly cart: Cart) {}

  async placeOrder(_customerId: string, build: (cart: Cart) => NewOrder, keyToComplete?: IdempotentRequest) {
    const order = {
      ...build(this.cart),
      orderId: `o-${this.orders.length + 1}`,
      version: 1,
      statusHistory: [{ status: 'pending' as const, at: new Date(0), reason: null }],
      paymentId: null,
      trackingNumber: null,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    this.orders.push(order);
    if (keyToComplete) this.completed.set(keyToComplete.key, order.orderId);
    return order;
  }
  async findById(orderId: string) {
    return this.orders.find((order) => order.orderId === orderId);
  }
  async listByCustomer() {
    return { orders: this.orders.map(({ lines, ...order }) => ({ ...order, lineCount: lines.length })) };
  }
}

class ScriptedKeys implements IdempotencyStore {
  released: string[] = [];
  constructor(private readonly answer: IdempotencyClaim) {}
  async claim() {
    return this.answer;
  }
  async release(_customerId: string, request: IdempotentRequest) {
    this.released.push(request.key);
  }
}

const address = { street: 's', city: 'c', state: 'st', zip: 'z', country: 'US' };
const command = { customerId: 'c', paymentMethod: 'paypal' as const, shippingAddress: address };
const request = { key: 'k', fingerprint: 'f' };

function cartWithPen(): Cart {
  const cart = Cart.empty('c');
  cart.addItem({ productId: 'pen', productName: 'Pen', unitPrice: 150, quantity: 3 }, DEFAULT_CART_LIMITS);
  return cart;
}

describe('CheckoutService', () => {
  it('when the cart has lines, then the order copies them, totals them, and the cart is emptied', async () => {
    const orders = new InMemoryOrders(cartWithPen());
    const answer = await new CheckoutService(orders, new ScriptedKeys({ outcome: 'claimed' })).checkout(command);
    expect(answer).toEqual({ order: orders.orders[0], replayed: false });
    expect(orders.orders[0]).toMatchObject({
      totalAmount: 450,
      totalItems: 3,
      status: 'pending',
      paymentMethod: 'paypal',
    });
    expect(orders.cart.isEmpty).toBe(true);
  });

  it('when the cart is empty, then CART_EMPTY and a claimed key is released', async () => {
    const keys = new ScriptedKeys({ outcome: 'claimed' });
    const service = new CheckoutService(new InMemoryOrders(Cart.empty('c')), keys);
    await expect(service.checkout({ ...command, idempotency: request })).rejects.toBeInstanceOf(CartEmptyError);
    expect(keys.released).toEqual(['k']);
  });

  it('when a key is claimed, then the answer is stored with the order', async () => {
    const orders = new InMemoryOrders(cartWithPen());
    await new CheckoutService(orders, new ScriptedKeys({ outcome: 'claimed' })).checkout({
      ...command,
      idempotency: request,
    });
    expect(orders.completed.get('k')).toBe('o-1');
  });

  it('when the key was completed, then the order it placed is answered again and no order is placed', async () => {
    const orders = new InMemoryOrders(cartWithPen());
    const first = await new CheckoutService(orders, new ScriptedKeys({ outcome: 'claimed' })).checkout(command);
    const service = new CheckoutService(orders, new ScriptedKeys({ outcome: 'completed', orderId: 'o-1' }));
    await expect(service.checkout({ ...command, idempotency: request })).resolves.toEqual({
      order: first.order,
      replayed: true,
    });
    expect(orders.orders).toHaveLength(1);
  });

  it.each([
    [{ outcome: 'in-progress' } as const, IdempotencyKeyInUseError],
    [{ outcome: 'different-request' } as const, IdempotencyKeyReusedError],
  ])('when the claim answers %p, then the matching error and no order', async (claim, error) => {
    const orders = new InMemoryOrders(cartWithPen());
    const service = new CheckoutService(orders, new ScriptedKeys(claim));
    await expect(service.checkout({ ...command, idempotency: request })).rejects.toBeInstanceOf(error);
    expect(orders.orders).toEqual([]);
  });

  it('when an order is asked for, then it is found or ORDER_NOT_FOUND', async () => {
    const orders = new InMemoryOrders(cartWithPen());
    const service = new CheckoutService(orders, new ScriptedKeys({ outcome: 'claimed' }));
    await service.checkout(command);
    await expect(service.getOrder('o-1')).resolves.toMatchObject({ orderId: 'o-1' });
    await expect(service.getOrder('o-9')).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(service.listOrders('c', { limit: 5 })).resolves.toMatchObject({ orders: [{ orderId: 'o-1' }] });
  });
});
