import { Cart } from '../cart';
import { DiscountCodeConflictError, DiscountCodeNotOnCartError } from '../errors';

const cart = () => Cart.restore({ customerId: 'c', lines: [], version: 2, createdAt: null, updatedAt: null });

describe('discount codes on the Cart', () => {
  it('adding records cart.discount_code_added; adding the same code again changes nothing', () => {
    const stored = cart();
    stored.addDiscountCode({ code: 'SUMMER10', type: 'percentage' });
    expect(stored.event).toEqual({ type: 'cart.discount_code_added', code: 'SUMMER10' });
    expect(stored.changes().discountCodes).toEqual([{ code: 'SUMMER10', type: 'percentage' }]);

    const again = Cart.restore(stored.toSnapshot());
    again.addDiscountCode({ code: 'SUMMER10', type: 'percentage' });
    expect(again.hasChanges).toBe(false);
  });

  it('refuses a second code of a type, naming the one there', () => {
    const stored = Cart.restore({ ...cart().toSnapshot(), discountCodes: [{ code: 'A', type: 'fixed' }] });
    expect(() => stored.addDiscountCode({ code: 'B', type: 'fixed' })).toThrow(DiscountCodeConflictError);
    expect(stored.hasChanges).toBe(false);
    stored.addDiscountCode({ code: 'S', type: 'free_shipping' });
    expect(stored.discountCodes.map((c) => c.code)).toEqual(['A', 'S']);
  });

  it('removing records cart.discount_code_removed; a code not there is DISCOUNT_CODE_NOT_ON_CART', () => {
    const stored = Cart.restore({ ...cart().toSnapshot(), discountCodes: [{ code: 'A', type: 'fixed' }] });
    expect(() => stored.removeDiscountCode('B')).toThrow(DiscountCodeNotOnCartError);
    stored.removeDiscountCode('A');
    expect(stored.event).toEqual({ type: 'cart.discount_code_removed', code: 'A' });
    expect(stored.changes().discountCodes).toEqual([]);
  });

  it('clearing (and checkout) takes the codes off with the lines', () => {
    const stored = Cart.restore({
      ...cart().toSnapshot(),
      lines: [{ productId: 'p', productName: 'p', unitPrice: 1, quantity: 1 }],
      discountCodes: [{ code: 'A', type: 'fixed' }],
    });
    stored.clear('checkout');
    expect(stored.discountCodes).toEqual([]);
    expect(stored.changes()).toMatchObject({ cleared: true, discountCodes: [] });
  });
});
