import { Cart } from './cart';
import { NewOrder, OrderSnapshot } from './order';

/** A response as first sent, kept so that a retried request gets exactly the same answer. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface IdempotentRequest {
  readonly key: string;
  /** A hash of the request body: the same key with another body is refused. */
  readonly fingerprint: string;
}

export type IdempotencyClaim =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'completed'; readonly response: StoredResponse }
  | { readonly outcome: 'in-progress' }
  | { readonly outcome: 'different-request' };

/** Idempotency keys, shared by every replica, scoped to one customer. */
export interface IdempotencyStore {
  /** Marks the key as in flight for this request, or says why it cannot be. */
  claim(customerId: string, request: IdempotentRequest): Promise<IdempotencyClaim>;
  /** Forgets an in-flight key whose request failed, so that it can be retried. */
  release(customerId: string, request: IdempotentRequest): Promise<void>;
}

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

/** The port for orders: placing one from a cart atomically, and reading them back. */
export interface OrderStore {
  /**
   * In one transaction, with the customer's cart locked: `build` turns the
   * cart into an order (and may empty the cart, or refuse by throwing); the
   * order is stored with its lines and the cart's changes are written. With
   * `completion`, the idempotency key is completed with its response in that
   * same transaction, so an order is never stored without its answer.
   */
  placeOrder(
    customerId: string,
    build: (cart: Cart) => NewOrder,
    completion?: { readonly request: IdempotentRequest; readonly respond: (order: OrderSnapshot) => StoredResponse },
  ): Promise<OrderSnapshot>;

  findById(orderId: string): Promise<OrderSnapshot | undefined>;

  /** Newest first; `cursor` continues after the page that returned it, however many orders arrived since. */
  listByCustomer(customerId: string, page: { readonly limit: number; readonly cursor?: string }): Promise<OrderPage>;
}
