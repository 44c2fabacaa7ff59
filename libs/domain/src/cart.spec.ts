import fc from 'fast-check';
import { Cart, NewCartLine } from './cart';
import { CartLimits } from './cart-limits';
import { CartLimitExceededError, ItemNotFoundError, VersionMismatchError } from './errors';

const limits: CartLimits = { maxQuantityPerItem: 99, maxItems: 3 };
const laptop: NewCartLine = { productId: 'laptop', productName: 'Gaming Laptop', unitPrice: 129999, quantity: 2 };
const mouse: NewCartLine = { productId: 'mouse', productName: 'Mouse', unitPrice: 1999, quantity: 1 };

function cartWith(...items: NewCartLine[]): Cart {
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
