import { DomainErrorCode, InvalidCartLineError } from '@carthub/domain';
import { DOMAIN_STATUS, toHttpError } from './errors';

describe('the domain status table', () => {
  it('when a domain code has no status, then the table no longer compiles', () => {
    // What a new DomainErrorCode without a row looks like to the compiler.
    const { CART_EMPTY: _cartEmpty, ...withoutCartEmpty } = DOMAIN_STATUS;
    // @ts-expect-error CART_EMPTY has no status, so this is not a complete table
    const incomplete: Record<DomainErrorCode, number> = withoutCartEmpty;
    expect(incomplete).not.toHaveProperty('CART_EMPTY');
  });

  it('when the cart refuses a line value, then 422 VALIDATION_FAILED with the field it names', () => {
    const error = toHttpError(new InvalidCartLineError('quantity', 'must be a whole number of at least 1'));
    expect(error).toMatchObject({
      status: 422,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'quantity', message: 'quantity must be a whole number of at least 1' }],
    });
  });
});
