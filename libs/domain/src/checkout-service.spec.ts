import { Cart } from './cart';
import { CatalogProduct, PriceSource } from './price-source';
import { CheckoutService } from './checkout-service';
import { DEFAULT_CART_LIMITS } from './cart-limits';
import { CartEmptyError, IdempotencyKeyInUseError, IdempotencyKeyReusedError, OrderNotFoundError } from './errors';
import { NewOrder, OrderSnapshot } from './order';
import { EarlierRequest, IdempotentRequest } from './idempotency';
import { CheckoutRefusal, OrderStore, PlacementOutcome, ReadOptions } from './order-store';

/** Orders and keys in memory: enough to check the use case's decisions, not storage. */
class InMemoryOrders implements OrderStore {
  readonly orders: OrderSnapshot[] = [];
  /** Completed keys: the fingerprint of their request and the order it placed. */
  readonly completed = new Map<string, { fingerprint: string; orderId: string }>();
  /** Whether each read let a replica answer. */
  readonly reads: (boolean | undefined)[] = [];
  /** What a key stored by some other request says, when a test scripts one. */
  earlier?: EarlierRequest;
  constructor(readonly cart: Cart) {}

  async placeOrder(
    _customerId: string,
    build: (cart: Cart) => NewOrder | CheckoutRefusal,
    idempotency?: IdempotentRequest,
  ): Promise<PlacementOutcome> {
    const stored = idempotency && this.completed.get(idempotency.key);
    if (stored && stored.fingerprint !== idempotency.fingerprint) return { earlier: { outcome: 'different-request' } };
    if (stored) return { earlier: { outcome: 'completed', orderId: stored.orderId } };
    if (idempotency && this.earlier) return { earlier: this.earlier };
    const built = build(this.cart);
    if ('refusal' in built) return { refused: built, cart: this.cart.toSnapshot() };
    const order = {
      ...built,
      orderId: `o-${this.orders.length + 1}`,
      version: 1,
      statusHistory: [{ status: 'pending' as const, at: new Date(0), reason: null }],
      paymentId: null,
      trackingNumber: null,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    this.orders.push(order);
    if (idempotency)
      this.completed.set(idempotency.key, { fingerprint: idempotency.fingerprint, orderId: order.orderId });
    return { order };
  }
  async findById(orderId: string, read?: ReadOptions) {
    this.reads.push(read?.replicaAllowed);
    return this.orders.find((order) => order.orderId === orderId);
  }
  async listByCustomer(_customerId: string, _page: unknown, read?: ReadOptions) {
    this.reads.push(read?.replicaAllowed);
    return { orders: this.orders.map(({ lines, ...order }) => ({ ...order, lineCount: lines.length })) };
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
    const answer = await new CheckoutService(orders).checkout(command);
    expect(answer).toEqual({ order: orders.orders[0], replayed: false });
    expect(orders.orders[0]).toMatchObject({
      totalAmount: 450,
      totalItems: 3,
      status: 'pending',
      paymentMethod: 'paypal',
    });
    expect(orders.cart.isEmpty).toBe(true);
  });

  it('when the cart is empty, then CART_EMPTY and the key is not kept', async () => {
    const orders = new InMemoryOrders(Cart.empty('c'));
    const service = new CheckoutService(orders);
    await expect(service.checkout({ ...command, idempotency: request })).rejects.toBeInstanceOf(CartEmptyError);
    expect(orders.completed.size).toBe(0);
  });

  it('when a key is sent, then it is stored with the order', async () => {
    const orders = new InMemoryOrders(cartWithPen());
    await new CheckoutService(orders).checkout({ ...command, idempotency: request });
    expect(orders.completed.get('k')).toEqual({ fingerprint: 'f', orderId: 'o-1' });
  });

  it('when the key was completed, then the order it placed is answered again and no order is placed', async () => {
    const orders = new InMemoryOrders(cartWithPen());
    const service = new CheckoutService(orders);
    const first = await service.checkout({ ...command, idempotency: request });
    orders.cart.addItem({ productId: 'ink', productName: 'Ink', unitPrice: 300, quantity: 1 }, DEFAULT_CART_LIMITS);
    await expect(service.checkout({ ...command, idempotency: request })).resolves.toEqual({
      order: first.order,
      replayed: true,
    });
    expect(orders.orders).toHaveLength(1);
    // The replay reads the primary: a replica is for showing orders, not for deciding a request.
    expect(orders.reads).toEqual([undefined]);
  });

  it.each([
    [{ outcome: 'in-progress' } as const, IdempotencyKeyInUseError],
    [{ outcome: 'different-request' } as const, IdempotencyKeyReusedError],
  ])('when the stored key answers %p, then the matching error and no order', async (earlier, error) => {
    const orders = new InMemoryOrders(cartWithPen());
    orders.earlier = earlier;
    await expect(new CheckoutService(orders).checkout({ ...command, idempotency: request })).rejects.toBeInstanceOf(
      error,
    );
    expect(orders.orders).toEqual([]);
  });

  it('when an order is asked for, then it is found or ORDER_NOT_FOUND', async () => {
    const orders = new InMemoryOrders(cartWithPen());
    const service = new CheckoutService(orders);
    await service.checkout(command);
    await expect(service.getOrder('o-1')).resolves.toMatchObject({ orderId: 'o-1' });
    await expect(service.getOrder('o-9')).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(service.listOrders('c', { limit: 5 })).resolves.toMatchObject({ orders: [{ orderId: 'o-1' }] });
    expect(orders.reads).toEqual([true, true, true]);
  });
});

class Catalog implements PriceSource {
  readonly asked: { ids: string[]; fresh: boolean }[] = [];
  constructor(readonly products: Map<string, CatalogProduct>) {}
  async lookup(ids: readonly string[], { fresh }: { fresh: boolean }) {
    this.asked.push({ ids: [...ids], fresh });
    return new Map(ids.flatMap((id) => (this.products.has(id) ? [[id, this.products.get(id)!] as const] : [])));
  }
}

describe('CheckoutService in catalog mode', () => {
  const pen = { productId: 'pen', name: 'Pen', unitPrice: 150, active: true };
  const checkoutWith = (cart: Cart, products: CatalogProduct[]) => {
    const orders = new InMemoryOrders(cart);
    const catalog = new Catalog(new Map(products.map((p) => [p.productId, p])));
    const service = new CheckoutService(orders, { catalog: { prices: catalog } });
    return { orders, catalog, service };
  };

  it('when the catalog has the same prices, then the order is placed, asked once and never from a cache', async () => {
    const { orders, catalog, service } = checkoutWith(cartWithPen(), [pen]);
    await service.checkout(command);
    expect(orders.orders).toHaveLength(1);
    expect(catalog.asked).toEqual([{ ids: ['pen'], fresh: true }]);
  });

  it('when a price changed, then PRICES_CHANGED with the change, the cart repriced, and no order', async () => {
    const cart = cartWithPen();
    const { orders, service } = checkoutWith(cart, [{ ...pen, unitPrice: 175 }]);
    await expect(service.checkout(command)).rejects.toMatchObject({
      code: 'PRICES_CHANGED',
      changes: [{ productId: 'pen', oldPrice: 150, price: 175 }],
      unavailable: [],
    });
    expect(orders.orders).toEqual([]);
    expect(cart.line('pen')?.unitPrice).toBe(175);
  });

  it('when a product is unknown or inactive, then it is listed as unavailable and stays in the cart', async () => {
    const cart = cartWithPen();
    cart.addItem({ productId: 'old', productName: 'Old', unitPrice: 100, quantity: 1 }, DEFAULT_CART_LIMITS);
    const { service } = checkoutWith(cart, [{ ...pen, active: false }]);
    await expect(service.checkout(command)).rejects.toMatchObject({
      code: 'PRICES_CHANGED',
      unavailable: ['pen', 'old'],
    });
    expect(cart.lineCount).toBe(2);
  });

  it('when a completed key is repeated, then its order is answered without asking the catalog', async () => {
    const { orders, catalog, service } = checkoutWith(cartWithPen(), [pen]);
    const first = await service.checkout({ ...command, idempotency: request });
    orders.cart.addItem({ productId: 'ink', productName: 'Ink', unitPrice: 300, quantity: 1 }, DEFAULT_CART_LIMITS);
    const asked = catalog.asked.length;
    await expect(service.checkout({ ...command, idempotency: request })).resolves.toEqual({
      order: first.order,
      replayed: true,
    });
    expect(catalog.asked.length).toBe(asked);
  });

  it('when only a name changed, then it is refreshed and the order placed with it', async () => {
    const { orders, service } = checkoutWith(cartWithPen(), [{ ...pen, name: 'Fountain Pen' }]);
    await service.checkout(command);
    expect(orders.orders[0].lines[0].productName).toBe('Fountain Pen');
  });
});

describe('CheckoutService with tax, shipping and an expected total', () => {
  const rules = { tax: [{ country: 'US', rate: { numerator: 1n, denominator: 10n } }], shipping: { flat: 500 } };

  it('when the cart is checked out, then the order carries subtotal, tax, shipping, total and currency', async () => {
    const orders = new InMemoryOrders(cartWithPen());
    await new CheckoutService(orders, { rules, currency: 'EUR' }).checkout(command);
    expect(orders.orders[0]).toMatchObject({
      subtotal: 450,
      tax: 45,
      shipping: 500,
      totalAmount: 995,
      currency: 'EUR',
    });
  });

  it('when the expected total differs, then TOTAL_CHANGED with the quote, and the cart stays', async () => {
    const orders = new InMemoryOrders(cartWithPen());
    const service = new CheckoutService(orders, { rules });
    await expect(service.checkout({ ...command, expectedTotal: 450 })).rejects.toEqual(
      expect.objectContaining({
        code: 'TOTAL_CHANGED',
        quote: { subtotal: 450, tax: 45, shipping: 500, total: 995, cartVersion: 0 },
      }),
    );
    expect([orders.orders.length, orders.cart.isEmpty]).toEqual([0, false]);
    await expect(service.checkout({ ...command, expectedTotal: 995 })).resolves.toMatchObject({ replayed: false });
  });
});
