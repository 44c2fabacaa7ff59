import { Cart, CartSnapshot } from './cart';
import { CartExpiry } from './cart-expiry';
import { DEFAULT_CART_LIMITS } from './cart-limits';

const ttls = { customerTtlSeconds: 100, guestTtlSeconds: 10 };
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
const line = { productId: 'p', productName: 'P', unitPrice: 250, quantity: 2 };
const stored = (customerId: string, updatedSecond: number): CartSnapshot => ({
  customerId,
  lines: [line],
  version: 4,
  createdAt: at(0),
  updatedAt: at(updatedSecond),
});
const expiryAt = (second: number) => new CartExpiry(ttls, () => at(second));

describe('CartExpiry', () => {
  it("when a cart has lines, then it ends its TTL after its last change: a guest's sooner than a customer's", () => {
    expect(expiryAt(0).expiresAt(stored('alice', 5))).toEqual(at(105));
    expect(expiryAt(0).expiresAt(stored('guest_abc', 5))).toEqual(at(15));
  });

  it('when a cart is empty or absent, then it has no expiry', () => {
    expect(expiryAt(0).expiresAt(Cart.empty('alice').toSnapshot())).toBeNull();
    expect(expiryAt(0).expiresAt({ ...stored('alice', 5), lines: [] })).toBeNull();
  });

  it('when the clock passes the expiry, then the cart reads as empty with its version unchanged', () => {
    expect(expiryAt(104).asRead(stored('alice', 5))).toMatchObject({ lines: [line], expiresAt: at(105) });
    expect(expiryAt(105).asRead(stored('alice', 5))).toMatchObject({ lines: [], version: 4, expiresAt: null });
  });

  it('when an expired cart is forgotten and cleared, then nothing changes', () => {
    const cart = Cart.restore(stored('alice', 0));
    cart.forgetExpired(expiryAt(200));
    cart.clear();
    expect([cart.isEmpty, cart.hasChanges, cart.event]).toEqual([true, false, undefined]);
  });

  it('when an expired cart gets a line, then the change deletes the stored lines and adds only the new one', () => {
    const cart = Cart.restore(stored('alice', 0));
    cart.forgetExpired(expiryAt(200));
    cart.addItem({ ...line, productId: 'q', quantity: 1 }, DEFAULT_CART_LIMITS);
    expect(cart.changes()).toEqual({
      cleared: true,
      upserted: [{ ...line, productId: 'q', quantity: 1 }],
      removed: [],
    });
  });

  it('when a live cart is checked, then it keeps its lines', () => {
    const cart = Cart.restore(stored('alice', 0));
    cart.forgetExpired(expiryAt(50));
    expect([cart.lineCount, cart.hasChanges]).toEqual([1, false]);
  });
});
