import { Cents, centsToAmount } from './money';

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
  | 'PAYMENT_AMOUNT_MISMATCH';

/** A business rule said no. `code` is stable: clients and the HTTP layer key on it. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  readonly details?: readonly { field: string; message: string }[];
  /** When the same request may succeed again, in whole seconds (≥ 1); only for refusals that pass with time. */
  readonly retryAfterSeconds?: number;
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

export class ItemNotFoundError extends DomainError {
  readonly code = 'ITEM_NOT_FOUND';
  constructor(productId: string) {
    super(`Item ${JSON.stringify(productId)} is not in the cart`);
  }
}

export class VersionMismatchError extends DomainError {
  readonly code = 'VERSION_MISMATCH';
  constructor(expected: number, actual: number, what: 'cart' | 'order' = 'cart') {
    super(`The ${what} is at version ${actual}, not ${expected}; reload it and try again`);
  }
}

export class CartEmptyError extends DomainError {
  readonly code = 'CART_EMPTY';
  constructor() {
    super('The cart is empty');
  }
}

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

export class IdempotencyKeyInUseError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_IN_USE';
  constructor() {
    super('A request with this Idempotency-Key is still being processed; retry shortly');
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This Idempotency-Key was already used with a different request body');
  }
}

export class InvalidCursorError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  override readonly details = [{ field: 'cursor', message: 'cursor is not one this service issued' }];
  constructor() {
    super('Invalid query: cursor is not one this service issued');
  }
}

export class ProductNotFoundError extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';
  constructor(productId: string) {
    super(`Product ${JSON.stringify(productId)} is not in the catalog`);
  }
}

export class ProductUnavailableError extends DomainError {
  readonly code = 'PRODUCT_UNAVAILABLE';
  constructor(productId: string) {
    super(`Product ${JSON.stringify(productId)} is no longer sold`);
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

export class OrderAlreadyPaidError extends DomainError {
  readonly code = 'ORDER_ALREADY_PAID';
  constructor() {
    super('The order has already been paid with another payment_id');
  }
}

export class PaymentIdInUseError extends DomainError {
  readonly code = 'PAYMENT_ID_IN_USE';
  constructor() {
    super('This payment_id has already paid another order');
  }
}

export class PaymentAmountMismatchError extends DomainError {
  readonly code = 'PAYMENT_AMOUNT_MISMATCH';
  override readonly details = [{ field: 'amount', message: 'amount must equal the order total_amount' }];
  constructor(amount: Cents, total: Cents) {
    super(`The payment is for ${centsToAmount(amount)}, the order total is ${centsToAmount(total)}`);
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
