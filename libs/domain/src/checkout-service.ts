import { repriceCart } from './checkout-pricing';
import {
  CartEmptyError,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  OrderNotFoundError,
  PricesChangedError,
  TotalChangedError,
} from './errors';
import { EarlierRequest, IdempotentRequest } from './idempotency';
import { Cents, DEFAULT_CURRENCY } from './money';
import { CheckoutDetails, NewOrder, OrderPricing, OrderSnapshot, orderFromCart } from './order';
import { CheckoutRefusal, OrderPage, OrderStore, PlacementOutcome, ReadOptions } from './order-store';
import { CatalogProduct, PriceSource } from './price-source';
import { NO_PRICING_RULES, resolveDestination } from './pricing';
import { Cart, CartLine } from './cart';
import { CartExpiry } from './cart-expiry';
import { CartDiscounts, discountCart } from './discounts/discounted-cart';
import { CheckoutDiscounts, DiscountCodesUsedUpError } from './discounts/discount-store';
import { StockShortageError } from './stock';

export interface CheckoutCommand extends CheckoutDetails {
  readonly customerId: string;
  readonly idempotency?: IdempotentRequest;
  /** The total the shopper was shown; checkout refuses (TOTAL_CHANGED) when it computes another. */
  readonly expectedTotal?: Cents;
  /** From If-Match: the cart version the shopper reviewed (the quote's); a cart that moved since is refused first. */
  readonly expectedCartVersion?: number;
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
  readonly catalog?: { readonly prices: PriceSource };
}

/*
 * In catalog mode the first round knows no prices: it only finds the lines to
 * ask about (or the key's earlier answer, which needs no catalog). Lines
 * added while the catalog was asked are priced on another round; past this
 * many rounds, they are given up as unavailable.
 */
const CATALOG_ROUNDS = 4;

export class CheckoutService {
  private readonly pricing: OrderPricing;

  constructor(
    private readonly orders: OrderStore,
    private readonly options: CheckoutOptions = {},
  ) {
    this.pricing = { rules: options.rules ?? NO_PRICING_RULES, currency: options.currency ?? DEFAULT_CURRENCY };
  }

  /**
   * Load the cart (locked), check it is not empty, check its prices against the
   * catalog and its total against what the shopper expects, turn it into an
   * order and empty the cart: all at once, or nothing but repriced lines.
   */
  async placeOrder(command: CheckoutCommand): Promise<OrderSnapshot> {
    const placed = await this.place(command);
    if ('earlier' in placed) throw new Error('an order placed without a key met an earlier request');
    return placed.order;
  }

  /** placeOrder, with the key (if any) looked up and stored in the order's own transaction. */
  private async place(
    command: CheckoutCommand,
    idempotency?: IdempotentRequest,
  ): Promise<{ readonly order: OrderSnapshot } | { readonly earlier: EarlierRequest }> {
    let catalog: Catalog | undefined = this.options.catalog && new Map();
    const exhausted = new Set<string>();
    for (let round = 1; ;) {
      let outcome: PlacementOutcome;
      try {
        outcome = await this.orders.placeOrder(
          command.customerId,
          (cart, discounts) => this.build(cart, discounts, exhausted, command, catalog, round < CATALOG_ROUNDS),
          idempotency,
        );
      } catch (error) {
        // The cart a short checkout shows is the cart as a reader sees it (its expiry filled in).
        if (error instanceof StockShortageError && error.cart) {
          throw new StockShortageError(error.shortages, (this.options.expiry ?? new CartExpiry()).asRead(error.cart));
        }
        // Nothing was written: build it again with those codes not applied (each code is given up once, so this ends).
        if (!(error instanceof DiscountCodesUsedUpError) || error.codes.every((code) => exhausted.has(code)))
          throw error;
        error.codes.forEach((code) => exhausted.add(code));
        continue;
      }
      if (!('refused' in outcome)) return outcome;
      const { refused, cart } = outcome;
      if (refused.refusal === 'prices-changed')
        throw new PricesChangedError(refused.changes, refused.unavailable, cart);
      catalog = await this.askCatalog(cart.lines, catalog ?? new Map());
      round++;
    }
  }

  private build(
    cart: Cart,
    discounts: CheckoutDiscounts,
    exhausted: ReadonlySet<string>,
    command: CheckoutCommand,
    catalog: Catalog | undefined,
    mayAskAgain: boolean,
  ): NewOrder | CheckoutRefusal {
    // The cart was read under its lock: the version compared here is the one the order would be made of.
    cart.expectVersion(command.expectedCartVersion);
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
    const order = orderFromCart(cart, command, this.pricing, this.discountsOf(cart, discounts, exhausted));
    if (command.expectedTotal !== undefined && command.expectedTotal !== order.totalAmount) {
      const { subtotal, discount, tax, shipping } = order;
      const quote = { subtotal, discount, tax, shipping, total: order.totalAmount };
      throw new TotalChangedError({ ...quote, cartVersion: cart.version }, command.expectedTotal);
    }
    cart.clear('checkout');
    return order;
  }

  /**
   * The cart's codes as they stand in the order's transaction; `exhausted`:
   * those found used up by an earlier attempt of this checkout, which do not
   * apply. The order's transaction counts each code that applies, once.
   */
  private discountsOf(
    cart: Cart,
    { states, now }: CheckoutDiscounts,
    exhausted: ReadonlySet<string>,
  ): CartDiscounts | undefined {
    const codes = cart.discountCodes;
    if (codes.length === 0) return undefined;
    return discountCart({ lines: cart.items, codes, states, now, shipping: this.pricing.rules.shipping, exhausted });
  }

  /** What the catalog knew, and its answer for every line it was not asked about yet (null: unknown to it). */
  private async askCatalog(lines: readonly CartLine[], known: Catalog): Promise<Catalog> {
    const prices = this.options.catalog?.prices;
    const ids = lines.map((line) => line.productId).filter((id) => !known.has(id));
    if (!prices || ids.length === 0) return known;
    const found = await prices.lookup(ids, { fresh: true });
    return new Map([...known, ...ids.map((id) => [id, found.get(id) ?? null] as const)]);
  }

  /**
   * Checkout as the API offers it: without a key, place the order; with one,
   * answer a repeat with the order the first request placed, and refuse a key
   * that is in flight or was used for another request.
   */
  async checkout(received: CheckoutCommand): Promise<CheckoutAnswer> {
    // The address is checked before anything is read: a state the tax rules cannot place is a 422.
    const command = { ...received, shippingAddress: resolveDestination(this.pricing.rules, received.shippingAddress) };
    const placed = await this.place(command, command.idempotency);
    if ('order' in placed) return { order: placed.order, replayed: false };
    const { earlier } = placed;
    if (earlier.outcome === 'completed') return { order: await this.storedOrder(earlier.orderId), replayed: true };
    if (earlier.outcome === 'in-progress') throw new IdempotencyKeyInUseError();
    throw new IdempotencyKeyReusedError();
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
