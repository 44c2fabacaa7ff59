import { Cart, CartLine } from './cart';
import { DEFAULT_CART_LIMITS } from './cart-limits';
import { mergeCarts } from './cart-merge';

const pen: CartLine = { productId: 'pen', productName: 'Pen', unitPrice: 150, quantity: 2 };
const stored = (lines: CartLine[], version = 1) =>
  Cart.restore({ customerId: 'c', lines, version, createdAt: null, updatedAt: null });

describe('the event a cart change produces', () => {
  it('when a product is added or added again, then cart.item_added with the line after the change', () => {
    const cart = stored([pen]);
    cart.addItem({ ...pen, quantity: 1 }, DEFAULT_CART_LIMITS);
    expect(cart.event).toEqual({ type: 'cart.item_added', productId: 'pen', line: { ...pen, quantity: 3 } });
  });

  it('when a quantity is set, then cart.item_updated; set to 0 or removed, then cart.item_removed with no line', () => {
    const updated = stored([pen]);
    updated.updateQuantity('pen', 5, DEFAULT_CART_LIMITS);
    expect(updated.event).toEqual({ type: 'cart.item_updated', productId: 'pen', line: { ...pen, quantity: 5 } });
    for (const remove of [
      (c: Cart) => c.updateQuantity('pen', 0, DEFAULT_CART_LIMITS),
      (c: Cart) => c.removeItem('pen'),
    ]) {
      const cart = stored([pen]);
      remove(cart);
      expect(cart.event).toEqual({ type: 'cart.item_removed', productId: 'pen', line: null });
    }
  });

  it('when a cart is cleared, then cart.cleared with its reason; an empty cart changes nothing and produces none', () => {
    const cart = stored([pen]);
    cart.clear('checkout');
    expect(cart.event).toEqual({ type: 'cart.cleared', reason: 'checkout', remaining: [] });
    const empty = stored([], 4);
    empty.clear();
    expect([empty.hasChanges, empty.event]).toEqual([false, undefined]);
  });

  it('when a merge moves lines, then cart.merged on the target and cart.cleared (merged, with what stayed) on the source', () => {
    const target = Cart.restore({ customerId: 't', lines: [], version: 0, createdAt: null, updatedAt: null });
    const source = Cart.restore({ customerId: 's', lines: [pen], version: 2, createdAt: null, updatedAt: null });
    mergeCarts(target, source, 'max', DEFAULT_CART_LIMITS);
    expect(target.event).toEqual({ type: 'cart.merged', sourceCustomerId: 's', strategy: 'max' });
    expect(source.event).toEqual({ type: 'cart.cleared', reason: 'merged', remaining: [] });
  });
});
