import { CartEmptyError, IdempotencyKeyInUseError, IdempotencyKeyReusedError, OrderNotFoundError } from './errors';
import { CheckoutDetails, OrderSnapshot, orderFromCart } from './order';
import { IdempotencyStore, IdempotentRequest } from './idempotency';
import { OrderPage, OrderStore } from './order-store';
import { CartExpiry } from './cart-expiry';

export interface CheckoutCommand extends CheckoutDetails {
  readonly customerId: string;
  readonly idempotency?: IdempotentRequest;
}

export interface CheckoutAnswer {
  readonly order: OrderSnapshot;
  /** True when the order was placed by an earlier request with the same key. */
  readonly replayed: boolean;
}

export class CheckoutService {
  constructor(
    private readonly orders: OrderStore,
    private readonly idempotency: IdempotencyStore,
    private readonly expiry: CartExpiry = new CartExpiry(),
  ) {}

  /** Load the cart, check it is not empty, turn it into an order, store it and empty the cart: all at once. */
  placeOrder(command: CheckoutCommand, keyToComplete?: IdempotentRequest): Promise<OrderSnapshot> {
    return this.orders.placeOrder(
      command.customerId,
      (cart) => {
        cart.forgetExpired(this.expiry);
        if (cart.isEmpty) throw new CartEmptyError();
        const order = orderFromCart(cart, command);
        cart.clear('checkout');
        return order;
      },
      keyToComplete,
    );
  }

  /**
   * Checkout as the API offers it: without a key, place the order; with one,
   * answer a repeat with the order the first request placed, and refuse a key
   * that is in flight or was used for another request.
   */
  async checkout(command: CheckoutCommand): Promise<CheckoutAnswer> {
    const request = command.idempotency;
    if (!request) return { order: await this.placeOrder(command), replayed: false };

    const claim = await this.idempotency.claim(command.customerId, request);
    if (claim.outcome === 'completed') return { order: await this.getOrder(claim.orderId), replayed: true };
    if (claim.outcome === 'in-progress') throw new IdempotencyKeyInUseError();
    if (claim.outcome === 'different-request') throw new IdempotencyKeyReusedError();
    try {
      return { order: await this.placeOrder(command, request), replayed: false };
    } catch (error) {
      await this.idempotency.release(command.customerId, request);
      throw error;
    }
  }

  async getOrder(orderId: string): Promise<OrderSnapshot> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new OrderNotFoundError(orderId);
    return order;
  }

  listOrders(customerId: string, page: { limit: number; cursor?: string }): Promise<OrderPage> {
    return this.orders.listByCustomer(customerId, page);
  }
}
