import { Db } from './sql-plumbing';

// Type tests: `nx typecheck` fails when one of these lines stops being an error.
describe('the entity-typed query builder', () => {
  const never = (): Db => {
    throw new Error('only compiled, never run');
  };

  it('when a query names a column no entity has, then it does not compile', () => {
    const query = () =>
      never()
        .selectFrom('cart_items')
        // @ts-expect-error -- cart_items has no column price_cents
        .select(['product_id', 'price_cents']);
    expect(query).toThrow('only compiled');
  });

  it('when a nullable column is read, then its type says it may be null', () => {
    const read = async () => {
      const row = await never().selectFrom('orders').select('payment_method').executeTakeFirstOrThrow();
      // @ts-expect-error -- payment_method is null on orders stored before checkout recorded it
      const method: string = row.payment_method;
      return method;
    };
    return expect(read()).rejects.toThrow('only compiled');
  });
});
