import fc from 'fast-check';
import {
  applyRate,
  MAX_ORDER_SUBTOTAL_CENTS,
  MAX_ORDER_TOTAL_CENTS,
  MAX_SHIPPING_CENTS,
  parseRate,
  priceBreakdown,
  PricingRules,
  Rate,
  shippingFor,
  taxRateFor,
} from './pricing';

const rate = (text: string): Rate => {
  const parsed = parseRate(text);
  if (!parsed) throw new Error(`bad rate ${text}`);
  return parsed;
};
const LARGEST_SUBTOTAL = MAX_ORDER_SUBTOTAL_CENTS;
const anyRate = fc
  .integer({ min: 0, max: 1_000_000 })
  .map((micros): Rate => ({ numerator: BigInt(micros), denominator: 1_000_000n }));

describe('parseRate', () => {
  it.each([
    ['0', 0n, 1n],
    ['1', 1n, 1n],
    ['0.101', 101n, 1000n],
    [' 0.08 ', 8n, 100n],
    ['0.000001', 1n, 1_000_000n],
  ])('reads %p exactly as %p / %p', (text, numerator, denominator) => {
    expect(parseRate(text)).toEqual({ numerator, denominator });
  });

  it.each(['1.5', '1.000001', '-0.1', '0.1234567', '', 'abc', '1e-2', '.5', '0x1', '2'])('refuses %p', (text) => {
    expect(parseRate(text)).toBeUndefined();
  });
});

describe('applyRate', () => {
  it.each([
    [5, '0.1', 1],
    [15, '0.1', 2],
    [4, '0.125', 1],
    [3, '0.125', 0],
    [259998, '0.101', 26260],
    [100, '0', 0],
    [100, '1', 100],
  ])('%p cents at %p is %p cents (half a cent rounds up)', (amount, text, expected) => {
    expect(applyRate(amount, rate(text))).toBe(expected);
  });

  it('is the exact product rounded half up, for every amount up to the largest cart and every rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LARGEST_SUBTOTAL }), anyRate, (amount, r) => {
        const tax = applyRate(amount, r);
        expect(Number.isSafeInteger(tax)).toBe(true);
        // tax - amount × rate lies in (-½, ½]: the nearest cent, halves going up.
        const error = 2n * (BigInt(tax) * r.denominator - BigInt(amount) * r.numerator);
        expect(error > -r.denominator && error <= r.denominator).toBe(true);
      }),
    );
  });

  it('never gives more tax on a smaller amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LARGEST_SUBTOTAL }), fc.nat(1_000_000), anyRate, (amount, more, r) => {
        expect(applyRate(amount, r)).toBeLessThanOrEqual(applyRate(amount + more, r));
      }),
    );
  });
});

describe('taxRateFor', () => {
  const rules: PricingRules = {
    tax: [
      { country: 'US', state: 'WA', rate: rate('0.101') },
      { country: 'us', rate: rate('0.05') },
      { country: 'DE', rate: rate('0.19') },
    ],
  };

  it.each([
    ['US', 'WA', '0.101'],
    ['us', 'wa', '0.101'],
    ['US', ' Wa ', '0.101'],
    ['US', 'OR', '0.05'],
    ['DE', 'BE', '0.19'],
    ['FR', 'IDF', '0'],
  ])('ships to %p %p at %p: the most specific rule wins, case-insensitively', (country, state, expected) => {
    expect(taxRateFor(rules, { country, state })).toEqual(rate(expected));
  });
});

describe('priceBreakdown', () => {
  const rules: PricingRules = {
    tax: [{ country: 'US', state: 'WA', rate: rate('0.101') }],
    shipping: { flat: 599, freeOver: 10_000 },
  };
  const seattle = { country: 'US', state: 'WA' };

  it('charges tax once on the whole subtotal and flat shipping below the free threshold', () => {
    expect(priceBreakdown(9_999, rules, seattle)).toEqual({
      subtotal: 9_999,
      discount: 0,
      tax: 1_010,
      shipping: 599,
      total: 11_608,
    });
  });

  it('ships free from the threshold on', () => {
    expect(shippingFor(10_000, rules.shipping)).toBe(0);
    expect(shippingFor(9_999, rules.shipping)).toBe(599);
    expect(shippingFor(9_999, undefined)).toBe(0);
  });

  it('without rules, the total is the subtotal', () => {
    expect(priceBreakdown(259_998, { tax: [] }, seattle)).toEqual({
      subtotal: 259_998,
      discount: 0,
      tax: 0,
      shipping: 0,
      total: 259_998,
    });
  });

  it('adds up exactly for any subtotal, and computing it twice gives the same answer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LARGEST_SUBTOTAL }), anyRate, fc.nat(10_000), (subtotal, r, flat) => {
        const withRate = { tax: [{ country: 'US', rate: r }], shipping: { flat, freeOver: 50_000 } };
        const first = priceBreakdown(subtotal, withRate, seattle);
        expect(first.total).toBe(first.subtotal + first.tax + first.shipping);
        expect(Number.isSafeInteger(first.total)).toBe(true);
        expect(priceBreakdown(subtotal, withRate, seattle)).toEqual(first);
      }),
    );
  });

  it('never passes MAX_ORDER_TOTAL_CENTS, whatever the subtotal the limits allow, the rate and the shipping; the bound is reached', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: LARGEST_SUBTOTAL }),
        anyRate,
        fc.integer({ min: 0, max: MAX_SHIPPING_CENTS }),
        (subtotal, r, flat) => {
          const { total } = priceBreakdown(
            subtotal,
            { tax: [{ country: 'US', rate: r }], shipping: { flat } },
            seattle,
          );
          expect(total).toBeLessThanOrEqual(MAX_ORDER_TOTAL_CENTS);
        },
      ),
    );
    const largest = { tax: [{ country: 'US', rate: rate('1') }], shipping: { flat: MAX_SHIPPING_CENTS } };
    expect(priceBreakdown(LARGEST_SUBTOTAL, largest, seattle).total).toBe(MAX_ORDER_TOTAL_CENTS);
    expect(Number.isSafeInteger(MAX_ORDER_TOTAL_CENTS)).toBe(true);
  });
});
