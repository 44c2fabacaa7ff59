import fc from 'fast-check';
import { Cart, CartLine } from './cart';
import { CartLimits } from './cart-limits';
import { CartLimitExceededError, InvalidCartLineError, ItemNotFoundError, VersionMismatchError } from './errors';
import { MAX_UNIT_PRICE_CENTS } from './money';

const limits: CartLimits = { maxQuantityPerItem: 99, maxItems: 3 };
const laptop: CartLine = { productId: 'laptop', productName: 'Gaming Laptop', unitPrice: 129999, quantity: 2 };
const mouse: CartLine = { productId: 'mouse', productName: 'Mouse', unitPrice: 1999, quantity: 1 };

function cartWith(...items: CartLine[]): Cart {
  const cart = Cart.empty('customer-1');
  items.forEach((item) => cart.addItem(item, limits));
  return cart;
}

describe('Cart', () => {
  it('when a product is added twice, then its quantities merge and the newest name and price win', () => {
    const cart = cartWith(laptop, mouse, { ...laptop, productName: 'Laptop v2', unitPrice: 119999, quantity: 3 });

    expect(cart.items.map((line) => [line.productId, line.quantity])).toEqual([
      ['laptop', 5],
      ['mouse', 1],
    ]);
    expect(cart.items[0]).toMatchObject({ productName: 'Laptop v2', unitPrice: 119999 });
    expect(cart.totalItems).toBe(6);
    expect(cart.subtotal).toBe(5 * 119999 + 1999);
  });

  it('when a line would pass the per-item maximum, then it is refused, never clamped', () => {
    const cart = cartWith({ ...laptop, quantity: 98 });
    expect(() => cart.addItem({ ...laptop, quantity: 2 }, limits)).toThrow(CartLimitExceededError);
    expect(() => cart.updateQuantity('laptop', 100, limits)).toThrow(CartLimitExceededError);
    expect(cart.items[0].quantity).toBe(98);
  });

  it('when the cart holds the most products allowed, then a new product is refused but an existing one merges', () => {
    const cart = cartWith(laptop, mouse, { ...mouse, productId: 'pad' });
    expect(() => cart.addItem({ ...mouse, productId: 'cable' }, limits)).toThrow(CartLimitExceededError);
    cart.addItem(mouse, limits);
    expect(cart.items).toHaveLength(3);
  });

  it('when a quantity is set to zero, then the line is removed', () => {
    const cart = cartWith(laptop, mouse);
    cart.updateQuantity('laptop', 0, limits);
    expect(cart.items.map((line) => line.productId)).toEqual(['mouse']);
    expect(cart.changes()).toEqual({
      cleared: false,
      upserted: [expect.objectContaining({ productId: 'mouse' })],
      removed: ['laptop'],
    });
  });

  it('when an absent line is updated or removed, then ITEM_NOT_FOUND', () => {
    const cart = cartWith(laptop);
    expect(() => cart.updateQuantity('ghost', 1, limits)).toThrow(ItemNotFoundError);
    expect(() => cart.removeItem('ghost')).toThrow(ItemNotFoundError);
  });

  it('when cleared, then it is empty and records the clear; clearing a never-stored cart changes nothing', () => {
    const stored = Cart.restore({ ...cartWith(laptop).toSnapshot(), version: 1 });
    stored.clear();
    expect(stored.isEmpty).toBe(true);
    expect(stored.changes()).toEqual({ cleared: true, upserted: [], removed: [] });

    const fresh = Cart.empty('customer-2');
    fresh.clear();
    expect(fresh.hasChanges).toBe(false);
  });

  it('when a line is added with a fractional quantity, then VALIDATION_FAILED names the quantity and the cart is unchanged', () => {
    const cart = Cart.restore({ ...cartWith(laptop).toSnapshot(), version: 2 });
    const before = cart.toSnapshot();

    expect(() => cart.addItem({ ...laptop, quantity: 1.5 }, limits)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'quantity', message: 'quantity must be a whole number of at least 1' }],
      }),
    );
    expect(cart.toSnapshot()).toEqual(before);
    expect(cart.hasChanges).toBe(false);
  });

  it('when a line is added at a price of 0, then VALIDATION_FAILED names the price', () => {
    const cart = Cart.empty('customer-1');
    expect(() => cart.addItem({ ...laptop, unitPrice: 0 }, limits)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'price' })] }),
    );
    expect(cart.isEmpty).toBe(true);
  });

  it('when a line is added at the highest price and the lowest quantity, then it is taken', () => {
    const cart = Cart.empty('customer-1');
    cart.addItem({ ...laptop, unitPrice: MAX_UNIT_PRICE_CENTS, quantity: 1 }, limits);
    expect(cart.subtotal).toBe(MAX_UNIT_PRICE_CENTS);
  });

  it('when the expected version is stale, then VERSION_MISMATCH', () => {
    const cart = Cart.restore({ ...cartWith(laptop).toSnapshot(), version: 4 });
    expect(() => cart.expectVersion(3)).toThrow(VersionMismatchError);
    expect(() => cart.expectVersion(4)).not.toThrow();
    expect(() => cart.expectVersion(undefined)).not.toThrow();
  });
});

describe('Cart properties', () => {
  const wide: CartLimits = { maxQuantityPerItem: 1_000_000, maxItems: 1_000 };
  const addition = fc.record({
    productId: fc.constantFrom('a', 'b', 'c', 'd'),
    productName: fc.string({ minLength: 1 }),
    unitPrice: fc.integer({ min: 1, max: 9_999_999_999 }),
    quantity: fc.integer({ min: 1, max: 99 }),
  });

  it('totals are the exact sums of the lines, whatever was added', () => {
    fc.assert(
      fc.property(fc.array(addition), (additions) => {
        const cart = Cart.empty('c');
        additions.forEach((item) => cart.addItem(item, wide));
        const expected = cart.items.reduce((total, line) => total + line.unitPrice * line.quantity, 0);
        expect(cart.subtotal).toBe(expected);
        expect(Number.isSafeInteger(cart.subtotal)).toBe(true);
        expect(cart.totalItems).toBe(additions.reduce((total, item) => total + item.quantity, 0));
      }),
    );
  });

  it('adding in any split gives the same quantities as adding at once (merging is associative)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }), (parts) => {
        const split = Cart.empty('c');
        parts.forEach((quantity) => split.addItem({ ...laptop, quantity }, wide));
        const whole = Cart.empty('c');
        whole.addItem({ ...laptop, quantity: parts.reduce((a, b) => a + b, 0) }, wide);
        expect(split.items).toEqual(whole.items);
      }),
    );
  });

  it('no sequence of adds ever leaves a line over the limit or too many lines', () => {
    fc.assert(
      fc.property(fc.array(addition, { maxLength: 60 }), (additions) => {
        const cart = Cart.empty('c');
        for (const item of additions) {
          try {
            cart.addItem(item, limits);
          } catch (error) {
            expect(error).toBeInstanceOf(CartLimitExceededError);
          }
        }
        expect(cart.items.length).toBeLessThanOrEqual(limits.maxItems);
        cart.items.forEach((line) => expect(line.quantity).toBeLessThanOrEqual(limits.maxQuantityPerItem));
      }),
    );
  });
});

describe('Cart refuses values no line may hold', () => {
  // Not a whole number a line can count exactly: NaN, ±Infinity, fractions, and integers past 2^53.
  const notSafeWhole = fc.oneof(
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Number.isInteger(value)),
    fc.double({ min: 2 ** 53, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }),
  );
  const badAddedQuantity = fc.oneof(notSafeWhole, fc.integer({ max: 0 }));
  const badUpdatedQuantity = fc.oneof(notSafeWhole, fc.integer({ max: -1 }));
  const badPrice = fc.oneof(
    notSafeWhole,
    fc.integer({ max: 0 }),
    fc.bigInt({ min: BigInt(MAX_UNIT_PRICE_CENTS) + 1n, max: BigInt(Number.MAX_SAFE_INTEGER) }).map(Number),
  );
  const productId = fc.constantFrom('laptop', 'new-product');

  const storedCart = () => Cart.restore({ ...cartWith(laptop, mouse).toSnapshot(), version: 3 });

  function expectRefusedAndUnchanged(cart: Cart, change: () => void, field: 'quantity' | 'price'): void {
    const before = cart.toSnapshot();
    expect(change).toThrow(InvalidCartLineError);
    expect(change).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field })] }));
    expect(cart.toSnapshot()).toEqual(before);
    expect(cart.hasChanges).toBe(false);
  }

  it('an added quantity that is not a whole number of at least 1 is refused and changes nothing', () => {
    fc.assert(
      fc.property(productId, badAddedQuantity, (id, quantity) => {
        const cart = storedCart();
        expectRefusedAndUnchanged(cart, () => cart.addItem({ ...laptop, productId: id, quantity }, limits), 'quantity');
      }),
    );
  });

  it('a price that is not a whole number of cents from 1 to the maximum is refused and changes nothing', () => {
    fc.assert(
      fc.property(productId, badPrice, (id, unitPrice) => {
        const cart = storedCart();
        expectRefusedAndUnchanged(cart, () => cart.addItem({ ...laptop, productId: id, unitPrice }, limits), 'price');
      }),
    );
  });

  it('an updated quantity that is negative or not a whole number is refused and changes nothing', () => {
    fc.assert(
      fc.property(badUpdatedQuantity, (quantity) => {
        const cart = storedCart();
        expectRefusedAndUnchanged(cart, () => cart.updateQuantity('laptop', quantity, limits), 'quantity');
      }),
    );
  });
});
