import { Cart, CartSnapshot } from '../cart';
import { CartRepository } from '../cart-repository';
import { CartService } from '../cart-service';
import { DEFAULT_CART_LIMITS } from '../cart-limits';
import { clientPrices } from '../cart-pricing';
import { CartExpiry } from '../cart-expiry';
import { DiscountCodeNotApplicableError, DiscountCodeNotFoundError, InvalidDiscountCodeError } from '../errors';
import { DiscountCode, DiscountCodePatch, DiscountCodeState, DiscountCodeTerms } from './discount-code';
import { DiscountCodeService } from './discount-service';
import { DiscountCodeStore } from './discount-store';

const NOW = new Date('2026-12-01T12:00:00Z');

class OneCart implements CartRepository {
  stored?: CartSnapshot;
  async find() {
    return this.stored;
  }
  async update(customerId: string, mutate: (cart: Cart) => void) {
    const cart = this.stored ? Cart.restore(this.stored) : Cart.empty(customerId);
    mutate(cart);
    if (cart.hasChanges) this.stored = { ...cart.toSnapshot(), version: cart.version + 1, updatedAt: NOW };
    return this.stored ?? cart.toSnapshot();
  }
  async updateBoth(): Promise<never> {
    throw new Error('not used');
  }
}

class Codes implements DiscountCodeStore {
  readonly codes = new Map<string, DiscountCode>();
  async create(terms: DiscountCodeTerms) {
    const code = { ...terms, timesUsed: 0, version: 1, createdAt: NOW, updatedAt: NOW };
    this.codes.set(code.code, code);
    return code;
  }
  async find(code: string) {
    return this.codes.get(code);
  }
  async update(code: string, patch: DiscountCodePatch) {
    const next = { ...(this.codes.get(code) as DiscountCode), ...patch };
    this.codes.set(code, next);
    return next;
  }
  async states(codes: readonly string[]) {
    return new Map<string, DiscountCodeState>(
      codes.flatMap((code) => {
        const found = this.codes.get(code);
        return found ? [[code, { code: found, usedByCustomer: 0 }] as const] : [];
      }),
    );
  }
}

const terms = (code: string, extra: Partial<DiscountCodeTerms> = {}): DiscountCodeTerms => ({
  code,
  type: 'percentage',
  value: 1_000,
  minSubtotal: null,
  productIds: null,
  startsAt: null,
  endsAt: null,
  usageLimit: null,
  usageLimitPerCustomer: null,
  active: true,
  ...extra,
});

describe('discount codes through the use cases', () => {
  let carts: OneCart;
  let codes: Codes;
  let service: CartService;
  let operator: DiscountCodeService;

  beforeEach(async () => {
    carts = new OneCart();
    codes = new Codes();
    operator = new DiscountCodeService(codes);
    service = new CartService(
      carts,
      DEFAULT_CART_LIMITS,
      clientPrices,
      { tax: [] },
      new CartExpiry(),
      codes,
      () => NOW,
    );
    await service.addItem({
      customerId: 'c',
      item: { productId: 'p', productName: 'P', unitPrice: 1_000, quantity: 3 },
    });
  });

  it('a code is created upper case, found case-insensitively, and refused with ends_at before starts_at', async () => {
    await expect(operator.create(terms('summer10'))).resolves.toMatchObject({ code: 'SUMMER10' });
    await expect(operator.get('Summer10')).resolves.toMatchObject({ code: 'SUMMER10' });
    await expect(operator.get('nope')).rejects.toThrow(DiscountCodeNotFoundError);
    await expect(
      operator.create(terms('late', { startsAt: NOW, endsAt: new Date(NOW.getTime() - 1) })),
    ).rejects.toThrow(InvalidDiscountCodeError);
    await expect(operator.update('summer10', { active: false })).resolves.toMatchObject({ active: false });
  });

  it('a code on the cart applies, shows its amount, and the quote takes it off', async () => {
    await operator.create(terms('TEN'));
    const { cart } = await service.addDiscountCode({ customerId: 'c', code: 'ten' });
    expect(cart.discounts?.codes).toEqual([
      { code: 'TEN', type: 'percentage', applicable: true, reason: null, amount: 300 },
    ]);
    const quote = await service.quote('c', { country: 'US', state: 'WA' });
    expect(quote).toMatchObject({ subtotal: 3_000, discount: 300, total: 2_700 });
  });

  it('refuses unknown, inactive, unstarted and ended codes, storing nothing; a used-up one sits on the cart', async () => {
    await operator.create(terms('OFF', { active: false }));
    await operator.create(terms('SOON', { startsAt: new Date(NOW.getTime() + 1) }));
    await operator.create(terms('DONE', { endsAt: NOW }));
    await operator.create(terms('USED', { usageLimit: 1 }));
    codes.codes.set('USED', { ...(codes.codes.get('USED') as DiscountCode), timesUsed: 1 });
    const version = carts.stored?.version;
    await expect(service.addDiscountCode({ customerId: 'c', code: 'who' })).rejects.toThrow(DiscountCodeNotFoundError);
    for (const [code, reason] of [
      ['OFF', 'INACTIVE'],
      ['SOON', 'NOT_STARTED'],
      ['DONE', 'ENDED'],
    ]) {
      await expect(service.addDiscountCode({ customerId: 'c', code })).rejects.toEqual(
        new DiscountCodeNotApplicableError(code, reason as 'INACTIVE'),
      );
    }
    expect(carts.stored?.version).toBe(version);
    const { cart } = await service.addDiscountCode({ customerId: 'c', code: 'used' });
    expect(cart.discounts?.codes[0]).toMatchObject({ applicable: false, reason: 'USAGE_LIMIT_REACHED' });
  });

  it('a code deactivated after it was applied reads INACTIVE on the next read, and comes off with remove', async () => {
    await operator.create(terms('TEN'));
    await service.addDiscountCode({ customerId: 'c', code: 'TEN' });
    await operator.update('TEN', { active: false });
    const cart = await service.getCart('c');
    expect(cart.discounts).toMatchObject({ discount: 0, codes: [{ applicable: false, reason: 'INACTIVE' }] });
    const removed = await service.removeDiscountCode({ customerId: 'c', code: 'ten' });
    expect(removed.cart.discountCodes).toEqual([]);
  });
});
