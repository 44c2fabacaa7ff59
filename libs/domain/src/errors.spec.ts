import {
  CartEmptyError,
  CartLimitExceededError,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  InvalidCartLineError,
  InvalidCursorError,
  ItemNotFoundError,
  OrderNotFoundError,
  ServiceUnavailableError,
  VersionMismatchError,
} from './errors';

describe('domain errors', () => {
  it.each([
    [new CartLimitExceededError('too many'), 'CART_LIMIT_EXCEEDED', 'too many'],
    [new ItemNotFoundError('p-1'), 'ITEM_NOT_FOUND', 'Item "p-1" is not in the cart'],
    [new VersionMismatchError(2, 3), 'VERSION_MISMATCH', 'The cart is at version 3, not 2; reload it and try again'],
    [new CartEmptyError(), 'CART_EMPTY', 'The cart is empty'],
    [new OrderNotFoundError('o-1'), 'ORDER_NOT_FOUND', 'Order "o-1" was not found'],
    [new ServiceUnavailableError(), 'SERVICE_UNAVAILABLE', 'The database is unavailable'],
    [new IdempotencyKeyInUseError(), 'IDEMPOTENCY_KEY_IN_USE', expect.stringContaining('still being processed')],
    [new IdempotencyKeyReusedError(), 'IDEMPOTENCY_KEY_REUSED', expect.stringContaining('different request body')],
    [
      new InvalidCartLineError('price', 'must be positive'),
      'VALIDATION_FAILED',
      'Invalid cart line: price must be positive',
    ],
    [new InvalidCursorError(), 'VALIDATION_FAILED', 'Invalid query: cursor is not one this service issued'],
  ])('%p carries the stable code %s', (error, code, message) => {
    expect(error.code).toBe(code);
    expect(error.message).toEqual(message);
  });
});
