import { CartRepository } from './cart-repository';
import { repriceCart } from './checkout-pricing';
import {
  CartEmptyError,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  OrderNotFoundError,
  PricesChangedError,
  TotalChangedError,
} from './errors';
import { IdempotencyStore, IdempotentRequest } from './idempotency';
import { Cents, DEFAULT_CURRENCY } from './money';
import { CheckoutDetails, NewOrder, OrderPricing, OrderSnapshot, orderFromCart } from './order';
import { CheckoutRefusal, OrderPage, OrderStore, ReadOptions } from './order-store';
import { CatalogProduct, PriceSource } from './price-source';
import { NO_PRICING_RULES, resolveDestination } from './pricing';
import { Cart } from './cart';
import { CartExpiry } from './cart-expiry';
import { StockShortageError } from './stock';

export interface CheckoutCommand extends CheckoutDetails {
  readonly customerId: string;
  readonly idempotency?: IdempotentRequest;
  /** The total the shopper was shown; checkout refuses (TOTAL_CHANGED) when it computes another. */
  readonly expectedTotal?: Cents;
}

export interface CheckoutAnswer {
  readonly order: OrderSnapshot;
  /** True when the order was placed by an earlier request with the same key. */
  readonly replayed: boolean;
}

export interface CheckoutOptions extends Partial<OrderPricing> {
  /** When carts expire: an expired cart checks out as empty. */
  readonly expiry?: CartExpiry;
  /** In catalog mode: every line is priced again from the catalog itself (never a cache) before an order is placed. */
  readonly catalog?: { readonly prices: PriceSource; readonly carts: CartRepository };
}

// Lines added while the catalog was asked are priced on another round; past this many, give up as unavailable.
const CATALOG_ROUNDS = 3;

export class CheckoutService {
  private readonly pricing: OrderPricing;

  constructor(
    private readonly orders: OrderStore,
    private readonly idempotency: IdempotencyStore,
    private readonly options: CheckoutOptions = {},
  ) {
    this.pricing = { rules: options.rules ?? NO_PRICING_RULES, currency: options.currency ?? DEFAULT_CURRENCY };
  }

  /**
   * Load the cart (locked), check it is not empty, check its prices against the
   * catalog and its total against what the shopper expects, turn it into an
   * order and empty the cart: all at once, or nothing but repriced lines.
   */
  async placeOrder(command: CheckoutCommand, keyToComplete?: IdempotentRequest): Promise<OrderSnapshot> {
    let catalog = await this.currentCatalog(command.customerId, new Map());
    for (let round = 1; ; round++) {
      const outcome = await this.orders
        .placeOrder(
          command.customerId,
          (cart) => this.build(cart, command, catalog, round < CATALOG_ROUNDS),
          keyToComplete,
        )
        .catch((error: unknown) => {
          // The cart a short checkout shows is the cart as a reader sees it (its expiry filled in).
          if (!(error instanceof StockShortageError) || !error.cart) throw error;
          throw new StockShortageError(error.shortages, (this.options.expiry ?? new CartExpiry()).asRead(error.cart));
        });
      if ('order' in outcome) return outcome.order;
      const { refused, cart } = outcome;
      if (refused.refusal === 'prices-changed')
        throw new PricesChangedError(refused.changes, refused.unavailable, cart);
      catalog = await this.currentCatalog(command.customerId, catalog ?? new Map());
    }
  }

  private build(
    cart: Cart,
    command: CheckoutCommand,
    catalog: Catalog | undefined,
    mayAskAgain: boolean,
  ): NewOrder | CheckoutRefusal {
    cart.forgetExpired(this.options.expiry ?? new CartExpiry());
    if (cart.isEmpty) throw new CartEmptyError();
    if (catalog) {
      const repricing = repriceCart(cart, catalog);
      if (repricing.unknown.length > 0 && mayAskAgain) return { refusal: 'catalog-incomplete' };
      const unavailable = [...repricing.unavailable, ...repricing.unknown];
      if (repricing.changes.length > 0 || unavailable.length > 0) {
        return { refusal: 'prices-changed', changes: repricing.changes, unavailable };
      }
    }
    const order = orderFromCart(cart, command, this.pricing);
    if (command.expectedTotal !== undefined && command.expectedTotal !== order.totalAmount) {
      const quote = { subtotal: order.subtotal, tax: order.tax, shipping: order.shipping, total: order.totalAmount };
      throw new TotalChangedError({ ...quote, cartVersion: cart.version }, command.expectedTotal);
    }
    cart.clear('checkout');
    return order;
  }

  /** The catalog's answer for every line of the cart (null: unknown to it), or undefined outside catalog mode. */
  private async currentCatalog(customerId: string, known: Catalog): Promise<Catalog | undefined> {
    const { catalog } = this.options;
    if (!catalog) return undefined;
    const cart = await catalog.carts.find(customerId);
    const ids = (cart?.lines ?? []).map((line) => line.productId).filter((id) => !known.has(id));
    if (ids.length === 0) return known;
    const found = await catalog.prices.lookup(ids, { fresh: true });
    return new Map([...known, ...ids.map((id) => [id, found.get(id) ?? null] as const)]);
  }

  /**
   * Checkout as the API offers it: without a key, place the order; with one,
   * answer a repeat with the order the first request placed, and refuse a key
   * that is in flight or was used for another request.
   */
  async checkout(received: CheckoutCommand): Promise<CheckoutAnswer> {
    // The address is checked before anything is claimed or read: a state the tax rules cannot place is a 422.
    const command = { ...received, shippingAddress: resolveDestination(this.pricing.rules, received.shippingAddress) };
    const request = command.idempotency;
    if (!request) return { order: await this.placeOrder(command), replayed: false };

    const claim = await this.idempotency.claim(command.customerId, request);
    if (claim.outcome === 'completed') return { order: await this.storedOrder(claim.orderId), replayed: true };
    if (claim.outcome === 'in-progress') throw new IdempotencyKeyInUseError();
    if (claim.outcome === 'different-request') throw new IdempotencyKeyReusedError();
    try {
      return { order: await this.placeOrder(command, request), replayed: false };
    } catch (error) {
      await this.idempotency.release(command.customerId, request);
      throw error;
    }
  }

  /** An order as the API shows it: a read replica may answer (never older than the caller's writes). */
  getOrder(orderId: string): Promise<OrderSnapshot> {
    return this.storedOrder(orderId, { replicaAllowed: true });
  }

  listOrders(customerId: string, page: { limit: number; cursor?: string }): Promise<OrderPage> {
    return this.orders.listByCustomer(customerId, page, { replicaAllowed: true });
  }

  private async storedOrder(orderId: string, read?: ReadOptions): Promise<OrderSnapshot> {
    const order = await this.orders.findById(orderId, read);
    if (!order) throw new OrderNotFoundError(orderId);
    return order;
  }
}

type Catalog = ReadonlyMap<string, CatalogProduct | null>;
