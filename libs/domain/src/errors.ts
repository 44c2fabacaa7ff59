/** A business rule said no. `code` is stable: clients and the HTTP layer key on it. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details?: readonly { field: string; message: string }[];
}

export class CartLimitExceededError extends DomainError {
  readonly code = 'CART_LIMIT_EXCEEDED';
}

export class ItemNotFoundError extends DomainError {
  readonly code = 'ITEM_NOT_FOUND';
  constructor(productId: string) {
    super(`Item ${JSON.stringify(productId)} is not in the cart`);
  }
}

export class VersionMismatchError extends DomainError {
  readonly code = 'VERSION_MISMATCH';
  constructor(expected: number, actual: number) {
    super(`The cart is at version ${actual}, not ${expected}; reload it and try again`);
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
