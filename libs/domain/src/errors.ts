import type { CartSnapshot } from './cart';
import { Cents, centsToAmount } from './money';
import type { PriceBreakdown } from './pricing';
import type { NotApplicableReason } from './discounts/discount-code';

/** Every code a domain error carries: a closed set, so each adapter can map all of them. */
export type DomainErrorCode =
  | 'CART_LIMIT_EXCEEDED'
  | 'ITEM_NOT_FOUND'
  | 'VERSION_MISMATCH'
  | 'CART_EMPTY'
  | 'ORDER_NOT_FOUND'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'VALIDATION_FAILED'
  | 'RATE_LIMITED'
  | 'PRODUCT_NOT_FOUND'
  | 'PRODUCT_UNAVAILABLE'
  | 'INVALID_TRANSITION'
  | 'ORDER_ALREADY_PAID'
  | 'PAYMENT_ID_IN_USE'
  | 'PAYMENT_AMOUNT_MISMATCH'
  | 'PAYMENT_CURRENCY_MISMATCH'
  | 'PRICES_CHANGED'
  | 'TOTAL_CHANGED'
  | 'DISCOUNT_CODE_EXISTS'
  | 'DISCOUNT_CODE_CONFLICT'
  | 'DISCOUNT_CODE_NOT_FOUND'
  | 'DISCOUNT_CODE_NOT_APPLICABLE'
  | 'DISCOUNT_CODE_NOT_ON_CART'
  | 'OUT_OF_STOCK'
  | 'STOCK_BELOW_RESERVED'
  | 'STOCK_RESERVED';

/** A business rule said no. `code` is stable: clients and the HTTP layer key on it. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  readonly details?: readonly { field: string; message: string }[];
  /** When the same request may succeed again, in whole seconds (≥ 1); only for refusals that pass with time. */
  readonly retryAfterSeconds?: number;
}

/** A refusal about one product: its code, and a message naming the product (quoted). */
function productRefusal<C extends DomainErrorCode>(code: C, describe: (quotedId: string) => string) {
  return class extends DomainError {
    readonly code: C = code;
    constructor(productId: string) {
      super(describe(JSON.stringify(productId)));
    }
  };
}

/** A refusal that needs no detail: its code and one message. */
function refusal<C extends DomainErrorCode>(code: C, message: string) {
  return class extends DomainError {
    readonly code: C = code;
    override readonly message = message;
  };
}

export class CartLimitExceededError extends DomainError {
  readonly code = 'CART_LIMIT_EXCEEDED';
}

/** A line value no cart may hold (a fractional quantity, a price of 0), refused whatever the caller checked. */
export class InvalidCartLineError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  override readonly details: readonly { field: string; message: string }[];
  constructor(field: 'quantity' | 'price' | 'product_name', rule: string) {
    super(`Invalid cart line: ${field} ${rule}`);
    this.details = [{ field, message: `${field} ${rule}` }];
  }
}

/** A shipping state that names none of the country's subdivisions, where the country's tax rules list states. */
export class UnknownStateError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  override readonly details: readonly { field: string; message: string }[];
  constructor(country: string) {
    const message = `shipping_address.state must name a subdivision of ${country}: its ISO 3166-2 code or its name`;
    super(`Invalid body: ${message}`);
    this.details = [{ field: 'shipping_address.state', message }];
  }
}

/** A merge names the same cart as its target and its source. */
export class MergeIntoItselfError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  override readonly details = [{ field: 'source_customer_id', message: 'must differ from the target customer_id' }];
  constructor() {
    super('A cart cannot be merged into itself');
  }
}

export class ItemNotFoundError extends productRefusal('ITEM_NOT_FOUND', (id) => `Item ${id} is not in the cart`) {}

export class VersionMismatchError extends DomainError {
  readonly code = 'VERSION_MISMATCH';
  constructor(expected: number, actual: number, what: 'cart' | 'order' | 'discount code' | 'stock' = 'cart') {
    super(`The ${what} is at version ${actual}, not ${expected}; reload it and try again`);
  }
}

export class CartEmptyError extends refusal('CART_EMPTY', 'The cart is empty') {}

export class OrderNotFoundError extends DomainError {
  readonly code = 'ORDER_NOT_FOUND';
  constructor(orderId: string) {
    super(`Order ${JSON.stringify(orderId)} was not found`);
  }
}

/** The store cannot be reached right now; the request changed nothing and may be retried. */
export class ServiceUnavailableError extends Error {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(cause?: unknown) {
    super('The database is unavailable', { cause });
  }
}

export class IdempotencyKeyInUseError extends refusal(
  'IDEMPOTENCY_KEY_IN_USE',
  'A request with this Idempotency-Key is still being processed; retry shortly',
) {}

export class IdempotencyKeyReusedError extends refusal(
  'IDEMPOTENCY_KEY_REUSED',
  'This Idempotency-Key was already used with a different request body',
) {}

export class ProductNotFoundError extends productRefusal(
  'PRODUCT_NOT_FOUND',
  (id) => `Product ${id} is not in the catalog`,
) {}

export class ProductUnavailableError extends productRefusal(
  'PRODUCT_UNAVAILABLE',
  (id) => `Product ${id} is no longer sold`,
) {}

export class InvalidCursorError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  override readonly details = [{ field: 'cursor', message: 'cursor is not one this service issued' }];
  constructor() {
    super('Invalid query: cursor is not one this service issued');
  }
}

/** The order's state has no such move; `allowed` lists where it can go (none for a final state). */
export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly status: string,
    readonly allowed: readonly string[],
  ) {
    super(`An order that is ${status} cannot make that move`);
  }
}

export class OrderAlreadyPaidError extends refusal(
  'ORDER_ALREADY_PAID',
  'The order has already been paid with another payment_id',
) {}

export class PaymentIdInUseError extends refusal(
  'PAYMENT_ID_IN_USE',
  'This payment_id has already paid another order',
) {}

export class PaymentAmountMismatchError extends DomainError {
  readonly code = 'PAYMENT_AMOUNT_MISMATCH';
  override readonly details = [{ field: 'amount', message: 'amount must equal the order total_amount' }];
  constructor(amount: Cents, total: Cents) {
    super(`The payment is for ${centsToAmount(amount)}, the order total is ${centsToAmount(total)}`);
  }
}

export class PaymentCurrencyMismatchError extends DomainError {
  readonly code = 'PAYMENT_CURRENCY_MISMATCH';
  override readonly details = [{ field: 'currency', message: "currency must be the order's currency" }];
  constructor(currency: string, orderCurrency: string) {
    super(`The payment is in ${currency}, the order in ${orderCurrency}`);
  }
}

export interface PriceChange {
  readonly productId: string;
  readonly oldPrice: Cents;
  readonly price: Cents;
}

/** Checkout found prices the catalog changed (now stored) or products it no longer sells: the shopper confirms first. */
export class PricesChangedError extends DomainError {
  readonly code = 'PRICES_CHANGED';
  constructor(
    readonly changes: readonly PriceChange[],
    readonly unavailable: readonly string[],
    /** The cart as it now stands, repriced. */
    readonly cart: CartSnapshot,
  ) {
    super('Prices changed or products are no longer available; review the cart and check out again');
  }
}

/** The shopper expected another total than checkout computed; nothing was placed. */
export class TotalChangedError extends DomainError {
  readonly code = 'TOTAL_CHANGED';
  constructor(
    readonly quote: PriceBreakdown & { readonly cartVersion: number },
    expected: Cents,
  ) {
    super(`The total is ${centsToAmount(quote.total)}, not the ${centsToAmount(expected)} expected`);
  }
}

/** The shop's catalog did not answer, answered late, or answered something malformed; nothing was changed. */
export class CatalogUnavailableError extends Error {
  readonly code = 'CATALOG_UNAVAILABLE';
  constructor(
    reason: string,
    /** When asking again makes sense, in milliseconds (an open circuit breaker knows). */
    readonly retryAfterMs = 1_000,
    cause?: unknown,
  ) {
    super(`The product catalog is unavailable: ${reason}`, { cause });
  }
}

/** One customer made more than a quota allows; the same request passes once `retryAfterSeconds` have gone by. */
export class QuotaExceededError extends DomainError {
  readonly code = 'RATE_LIMITED';
  override readonly retryAfterSeconds: number;
  constructor(what: string, retryAfterSeconds: number) {
    super(`Too many ${what}; retry after the time in Retry-After`);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

export class DiscountCodeExistsError extends DomainError {
  readonly code = 'DISCOUNT_CODE_EXISTS';
  constructor(code: string) {
    super(`Discount code ${JSON.stringify(code)} already exists`);
  }
}

export class DiscountCodeNotFoundError extends DomainError {
  readonly code = 'DISCOUNT_CODE_NOT_FOUND';
  override readonly details = [{ field: 'code', message: 'code names no discount code' }];
  constructor(code: string) {
    super(`Discount code ${JSON.stringify(code)} was not found`);
  }
}

/** A code that exists but cannot go on a cart now (inactive, not yet started, ended); nothing was stored. */
export class DiscountCodeNotApplicableError extends DomainError {
  readonly code = 'DISCOUNT_CODE_NOT_APPLICABLE';
  constructor(
    code: string,
    readonly reason: NotApplicableReason,
  ) {
    super(`Discount code ${JSON.stringify(code)} cannot be used now (${reason})`);
  }
}

/** The cart already holds a code of this type; `conflictingCode` names it. */
export class DiscountCodeConflictError extends DomainError {
  readonly code = 'DISCOUNT_CODE_CONFLICT';
  constructor(readonly conflictingCode: string) {
    super(`The cart already holds a code of this type (${conflictingCode}); remove it first`);
  }
}

export class DiscountCodeNotOnCartError extends DomainError {
  readonly code = 'DISCOUNT_CODE_NOT_ON_CART';
  constructor(code: string) {
    super(`Discount code ${JSON.stringify(code)} is not on the cart`);
  }
}

/** An operator's discount code terms break a rule no request schema can see (ends_at before the stored starts_at). */
export class InvalidDiscountCodeError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  override readonly details: readonly { field: string; message: string }[];
  constructor(field: string, message: string) {
    super(`Invalid discount code: ${field} ${message}`);
    this.details = [{ field, message: `${field} ${message}` }];
  }
}
