import { Cart, CartSnapshot } from './cart';
import { PriceChange } from './errors';
import { EarlierRequest, IdempotentRequest } from './idempotency';
import { NewOrder, OrderSnapshot } from './order';

/**
 * An order as a page of a customer's orders shows it: everything but its
 * lines, and how many lines it has. A page costs the same whatever the orders
 * hold; the whole order is one read away (`findById`).
 */
export interface OrderSummary extends Omit<OrderSnapshot, 'lines'> {
  readonly lineCount: number;
}

export interface OrderPage {
  readonly orders: readonly OrderSummary[];
  /** Opaque; undefined on the last page. */
  readonly nextCursor?: string;
}

/**
 * A checkout that must not place an order yet, though what `build` changed in
 * the cart (prices the catalog moved) is kept: the shopper confirms and retries.
 */
export type CheckoutRefusal =
  | {
      readonly refusal: 'prices-changed';
      readonly changes: readonly PriceChange[];
      readonly unavailable: readonly string[];
    }
  /** Lines appeared that the catalog was not asked about: ask it, then try again. */
  | { readonly refusal: 'catalog-incomplete' };

export type PlacementOutcome =
  | { readonly order: OrderSnapshot }
  | { readonly refused: CheckoutRefusal; readonly cart: CartSnapshot }
  /** The key was stored before by a request this one may not replace: nothing was written. */
  | { readonly earlier: EarlierRequest };

/** The port for orders: placing one from a cart atomically, and reading them back. */
export interface OrderStore {
  /**
   * In one transaction, with the customer's cart locked: `build` turns the
   * cart into an order (and may empty the cart, or refuse by throwing); the
   * order is stored with its lines and the cart's changes are written. With
   * `idempotency`, the key is looked up first, in the same transaction: one
   * stored before answers `earlier` (nothing is built or written), else it is
   * stored with the order, completed, so a keyed order is never stored
   * without its key and a refused or failed request stores no key. A repeat
   * that arrives while the first runs waits for it, behind the cart's lock.
   */
  placeOrder(
    customerId: string,
    build: (cart: Cart) => NewOrder | CheckoutRefusal,
    idempotency?: IdempotentRequest,
  ): Promise<PlacementOutcome>;

  findById(orderId: string, read?: ReadOptions): Promise<OrderSnapshot | undefined>;

  /** Newest first; `cursor` continues after the page that returned it, however many orders arrived since. */
  listByCustomer(
    customerId: string,
    page: { readonly limit: number; readonly cursor?: string },
    read?: ReadOptions,
  ): Promise<OrderPage>;
}

/**
 * Where a read may be answered. By default the primary database answers;
 * with `replicaAllowed` a read replica may, though never with anything older
 * than the writes acknowledged before the read began (the caller's own among
 * them). Reads that decide a write (an idempotent replay) stay on the primary.
 */
export interface ReadOptions {
  readonly replicaAllowed?: boolean;
}
