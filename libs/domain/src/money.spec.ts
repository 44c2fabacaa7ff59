import fc from 'fast-check';
import { centsFromNumeric, centsToAmount, centsToDecimalText, MAX_UNIT_PRICE_CENTS, parseCents, sum } from './money';
import { MAX_ORDER_TOTAL_CENTS } from './pricing';

describe('parseCents', () => {
  it.each([
    [19.99, 1999],
    ['19.99', 1999],
    [' 7 ', 700],
    [0.1, 10],
    ['0.05', 5],
    [99999999.99, 9_999_999_999],
    [1e3, 100_000],
  ])('reads %p as %p cents', (input, cents) => {
    expect(parseCents(input)).toBe(cents);
  });

  it.each([19.999, '19.999', '-1', -1, '1e3', 1e-7, 1e21, '', 'abc', '1.2.3', '100000000', NaN, Infinity, '0x10'])(
    'refuses %p instead of rounding it',
    (input) => {
      expect(parseCents(input)).toBeUndefined();
    },
  );

  it('when given a larger bound (an order total), then reads amounts up to it, as a number or as text', () => {
    expect(parseCents(centsToAmount(MAX_ORDER_TOTAL_CENTS), MAX_ORDER_TOTAL_CENTS)).toBe(MAX_ORDER_TOTAL_CENTS);
    expect(parseCents(centsToDecimalText(MAX_ORDER_TOTAL_CENTS), MAX_ORDER_TOTAL_CENTS)).toBe(MAX_ORDER_TOTAL_CENTS);
    expect(parseCents('100000000.00', MAX_ORDER_TOTAL_CENTS)).toBe(10_000_000_000);
    expect(parseCents(centsToDecimalText(MAX_ORDER_TOTAL_CENTS + 1), MAX_ORDER_TOTAL_CENTS)).toBeUndefined();
    expect(parseCents('5.01', 500)).toBeUndefined();
  });

  it('reads back every two-decimal amount a client can write, as a number or as text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_UNIT_PRICE_CENTS }), (cents) => {
        expect(parseCents(centsToAmount(cents))).toBe(cents);
        expect(parseCents(centsToDecimalText(cents))).toBe(cents);
      }),
    );
  });

  it('with a larger bound, reads every amount up to it exactly, as a number or as text, and refuses a cent more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_ORDER_TOTAL_CENTS }), (cents) => {
        expect(parseCents(centsToAmount(cents), MAX_ORDER_TOTAL_CENTS)).toBe(cents);
        expect(parseCents(centsToDecimalText(cents), MAX_ORDER_TOTAL_CENTS)).toBe(cents);
      }),
    );
    expect(parseCents('9899999999.01', MAX_ORDER_TOTAL_CENTS)).toBe(989_999_999_901);
    expect(parseCents(centsToDecimalText(MAX_ORDER_TOTAL_CENTS + 1), MAX_ORDER_TOTAL_CENTS)).toBeUndefined();
    expect(parseCents('9899999999.011', MAX_ORDER_TOTAL_CENTS)).toBeUndefined();
  });
});

describe('money arithmetic', () => {
  it('adds 0.1 and 0.2 to exactly 0.3', () => {
    const total = sum([parseCents(0.1)!, parseCents(0.2)!]);
    expect(JSON.stringify(centsToAmount(total))).toBe('0.3');
  });

  it('serializes any total with at most two decimals and no drift', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: MAX_UNIT_PRICE_CENTS }), { maxLength: 200 }), (prices) => {
        const total = sum(prices);
        const text = JSON.stringify(centsToAmount(total));
        expect(text).toMatch(/^\d+(\.\d{1,2})?$/);
        expect(parseCents(text)).toBe(total > MAX_UNIT_PRICE_CENTS ? undefined : total);
        expect(Math.round(Number(text) * 100)).toBe(total);
      }),
    );
  });

  it('writes decimal text for NUMERIC columns', () => {
    expect(centsToDecimalText(5)).toBe('0.05');
    expect(centsToDecimalText(259998)).toBe('2599.98');
    expect(centsToDecimalText(98_999_999_990_100)).toBe('989999999901.00');
  });
});

describe('centsFromNumeric', () => {
  it('reads NUMERIC(p,2) text of any stored size exactly', () => {
    expect(centsFromNumeric('0.05')).toBe(5);
    expect(centsFromNumeric('99999999.99')).toBe(9_999_999_999);
    expect(centsFromNumeric('989999999901.00')).toBe(98_999_999_990_100);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 98_999_999_990_100 }), (cents) => {
        expect(centsFromNumeric(centsToDecimalText(cents))).toBe(cents);
      }),
    );
  });

  it.each(['', '1', '1.5', '-1.00', '1e3', 'abc'])('refuses %p as not what the schema stores', (text) => {
    expect(() => centsFromNumeric(text)).toThrow(/Not a two-decimal amount/);
  });
});
