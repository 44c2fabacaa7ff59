import fc from 'fast-check';
import { Cart, CartLine, lineSubtotal, subtotalOf } from '../cart';
import { MAX_UNIT_PRICE_CENTS } from '../money';
import { orderFromCart } from '../order';
import { applyRate, priceBreakdown, PricingRules, shippingFor } from '../pricing';
import { CartDiscountCode, DiscountCode, DiscountCodeState, DiscountType } from './discount-code';
import { discountCart } from './discounted-cart';

const NOW = new Date('2026-12-01T12:00:00Z');
const address = { street: '1 Main St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };

function codeOf(
  code: string,
  type: DiscountType,
  value: number | null,
  extra: Partial<DiscountCode> = {},
): DiscountCode {
  return {
    code,
    type,
    value,
    minSubtotal: null,
    productIds: null,
    startsAt: null,
    endsAt: null,
    usageLimit: null,
    usageLimitPerCustomer: null,
    active: true,
    timesUsed: 0,
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    ...extra,
  };
}

const statesOf = (codes: DiscountCode[], usedByCustomer = 0) =>
  new Map<string, DiscountCodeState>(codes.map((code) => [code.code, { code, usedByCustomer }]));
const onCart = (codes: DiscountCode[]): CartDiscountCode[] => codes.map(({ code, type }) => ({ code, type }));
const line = (productId: string, unitPrice: number, quantity: number): CartLine => ({
  productId,
  productName: productId,
  unitPrice,
  quantity,
});

const linesArb = fc
  .array(
    fc.record({
      unitPrice: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: MAX_UNIT_PRICE_CENTS })),
      quantity: fc.integer({ min: 0, max: 49 }).map((n) => 2 * n + 1),
    }),
    { minLength: 1, maxLength: 100 },
  )
  .map((rows) => rows.map((row, index) => line(`p${index}`, row.unitPrice, row.quantity)));

/** Every combination of types, each scoped to every line or to a random few (unknown ids among them). */
const codesArb = (lineCount: number) =>
  fc
    .record({
      percentage: fc.option(fc.integer({ min: 1, max: 10_000 })),
      fixed: fc.option(fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: MAX_UNIT_PRICE_CENTS }))),
      freeShipping: fc.boolean(),
      scopes: fc.array(
        fc.option(fc.uniqueArray(fc.integer({ min: 0, max: lineCount + 3 }), { minLength: 1, maxLength: 10 })),
        { minLength: 3, maxLength: 3 },
      ),
      order: fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }),
    })
    .map(({ percentage, fixed, freeShipping, scopes, order }) => {
      const productIds = (index: number) => scopes[index]?.map((n) => `p${n}`) ?? null;
      const codes = [
        percentage !== null && codeOf('PCT', 'percentage', percentage, { productIds: productIds(0) }),
        fixed !== null && codeOf('FIX', 'fixed', fixed, { productIds: productIds(1) }),
        freeShipping && codeOf('SHIP', 'free_shipping', null, { productIds: productIds(2) }),
      ];
      return order.flatMap((index) => codes[index] || []);
    });

const rules: PricingRules = {
  tax: [{ country: 'US', state: 'WA', rate: { numerator: 101n, denominator: 1000n } }],
  shipping: { flat: 599, freeOver: 10_000 },
};

describe('discountCart (property)', () => {
  it('over thousands of random carts: shares add up to the amounts, no line passes its subtotal, quote = order, total = subtotal − discount + tax + shipping', () => {
    fc.assert(
      fc.property(
        linesArb.chain((lines) => fc.tuple(fc.constant(lines), codesArb(lines.length))),
        ([lines, codes]) => {
          const input = { lines, codes: onCart(codes), states: statesOf(codes), now: NOW, shipping: rules.shipping };
          const discounts = discountCart(input);
          const amountOff = discounts.codes
            .filter((code) => code.applicable && code.type !== 'free_shipping')
            .reduce((sum, code) => sum + code.amount, 0);

          expect(discounts.lineDiscounts.reduce((a, b) => a + b, 0)).toBe(amountOff);
          expect(discounts.discount).toBe(amountOff);
          discounts.lineDiscounts.forEach((share, index) => {
            expect(share).toBeGreaterThanOrEqual(0);
            expect(share).toBeLessThanOrEqual(lineSubtotal(lines[index]));
          });

          const percentage = codes.find((code) => code.type === 'percentage');
          const shownPercentage = discounts.codes.find((code) => code.type === 'percentage');
          if (percentage && shownPercentage?.applicable) {
            const eligible = subtotalOf(
              lines.filter((l) => !percentage.productIds || percentage.productIds.includes(l.productId)),
            );
            const halfUp = (2n * BigInt(percentage.value ?? 0) * BigInt(eligible) + 10_000n) / 20_000n;
            expect(shownPercentage.amount).toBe(Number(halfUp));
          }

          const cart = Cart.restore({
            customerId: 'c',
            lines,
            version: 1,
            createdAt: NOW,
            updatedAt: NOW,
            discountCodes: onCart(codes),
          });
          const order = orderFromCart(
            cart,
            { paymentMethod: 'credit_card', shippingAddress: address },
            { rules, currency: 'USD' },
            discounts,
          );
          const quote = priceBreakdown(subtotalOf(lines), rules, address, discounts);
          expect(order.totalAmount).toBe(quote.total);
          expect(order.discount).toBe(quote.discount);
          expect(order.tax).toBe(quote.tax);
          expect(order.shipping).toBe(quote.shipping);
          expect(order.totalAmount).toBe(order.subtotal - order.discount + order.tax + order.shipping);
          expect(order.tax).toBe(applyRate(order.subtotal - order.discount, rules.tax[0].rate));
          expect(order.lines.reduce((sum, l) => sum + l.discount, 0)).toBe(order.discount);
          expect(order.totalAmount).toBeGreaterThanOrEqual(0);
          const shipping = discounts.codes.find((code) => code.type === 'free_shipping');
          if (shipping?.applicable) {
            expect(order.shipping).toBe(0);
            expect(shipping.amount).toBe(shippingFor(order.subtotal - order.discount, rules.shipping));
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });
});

describe('discountCart', () => {
  const lines = [line('a', 1_000, 1), line('b', 333, 3), line('c', 1, 1)];

  it('takes a percentage first, rounded half up once, then a fixed amount from what is left', () => {
    const codes = [codeOf('FIX', 'fixed', 500), codeOf('PCT', 'percentage', 1_250)];
    const discounts = discountCart({ lines, codes: onCart(codes), states: statesOf(codes), now: NOW });
    // 12.5 % of 2,000 = 250; then 500 of the 1,750 left.
    expect(discounts.codes).toEqual([
      { code: 'FIX', type: 'fixed', applicable: true, reason: null, amount: 500 },
      { code: 'PCT', type: 'percentage', applicable: true, reason: null, amount: 250 },
    ]);
    expect(discounts.discount).toBe(750);
    expect(discounts.lineDiscounts.reduce((a, b) => a + b, 0)).toBe(750);
  });

  it('a fixed amount larger than the eligible lines takes only what they hold', () => {
    const codes = [codeOf('FIX', 'fixed', 1_000_000, { productIds: ['c'] })];
    const discounts = discountCart({ lines, codes: onCart(codes), states: statesOf(codes), now: NOW });
    expect(discounts.lineDiscounts).toEqual([0, 0, 1]);
  });

  it.each([
    ['INACTIVE', { active: false }, 0],
    ['NOT_STARTED', { startsAt: new Date('2026-12-02T00:00:00Z') }, 0],
    ['ENDED', { endsAt: NOW }, 0],
    ['USAGE_LIMIT_REACHED', { usageLimit: 3, timesUsed: 3 }, 0],
    ['USAGE_LIMIT_REACHED', { usageLimitPerCustomer: 1 }, 1],
    ['NO_ELIGIBLE_ITEMS', { productIds: ['zzz'] }, 0],
    ['MIN_SUBTOTAL_NOT_MET', { minSubtotal: 2_001 }, 0],
  ] as const)('shows %s and takes nothing off', (reason, extra, used) => {
    const codes = [codeOf('C', 'percentage', 5_000, extra)];
    const discounts = discountCart({ lines, codes: onCart(codes), states: statesOf(codes, used), now: NOW });
    expect(discounts.codes).toEqual([{ code: 'C', type: 'percentage', applicable: false, reason, amount: 0 }]);
    expect(discounts.discount).toBe(0);
  });

  it('a code the store does not know reads as INACTIVE', () => {
    const discounts = discountCart({ lines, codes: [{ code: 'GONE', type: 'fixed' }], states: new Map(), now: NOW });
    expect(discounts.codes[0]).toMatchObject({ applicable: false, reason: 'INACTIVE' });
  });

  it('free shipping saves the shipping the discounted subtotal would pay', () => {
    const codes = [codeOf('SHIP', 'free_shipping', null), codeOf('PCT', 'percentage', 1_000)];
    const discounts = discountCart({
      lines,
      codes: onCart(codes),
      states: statesOf(codes),
      now: NOW,
      shipping: { flat: 599, freeOver: 1_900 },
    });
    // 2,000 − 200 = 1,800 is under free_over: shipping would have been 5.99.
    expect(discounts.codes[0]).toEqual({
      code: 'SHIP',
      type: 'free_shipping',
      applicable: true,
      reason: null,
      amount: 599,
    });
    expect(discounts.freeShipping).toBe(true);
    expect(discounts.discount).toBe(200);
  });
});
