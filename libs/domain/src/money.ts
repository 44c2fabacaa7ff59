/**
 * Money is an integer count of cents. Integers below 2^53 add exactly, and the
 * largest cart (100 lines × 99 × 99,999,999.99) stays far below that bound.
 */
export type Cents = number;

/** The service's currency unless CURRENCY says otherwise; also what orders stored without one read back in. */
export const DEFAULT_CURRENCY = 'USD';

export const MAX_UNIT_PRICE_CENTS: Cents = 9_999_999_999;

/** NUMERIC(14,2): the widest total an order column holds. */
export const MAX_ORDER_TOTAL_CENTS: Cents = 99_999_999_999_999;

const DECIMAL_AMOUNT = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/**
 * Reads a decimal amount with at most two decimals ("19.99", 19.99, "7") as
 * cents, or returns undefined when it has more decimals, a sign, an exponent
 * or is above `maxCents` (a unit price's bound unless told: an order total may
 * be larger). Never rounds.
 */
export function parseCents(amount: number | string, maxCents: Cents = MAX_UNIT_PRICE_CENTS): Cents | undefined {
  const text = typeof amount === 'number' ? numberToPlainText(amount) : amount.trim();
  const match = text === undefined ? null : DECIMAL_AMOUNT.exec(text);
  if (!match) return undefined;
  const [, whole, fraction = ''] = match;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return cents <= maxCents ? cents : undefined;
}

function numberToPlainText(amount: number): string | undefined {
  // String(0.1) is "0.1": the shortest text that reads back as the same double,
  // which is exactly what a JSON client wrote. Exponent forms fail the pattern.
  return Number.isFinite(amount) ? String(amount) : undefined;
}

const STORED_AMOUNT = /^(\d{1,13})\.(\d{2})$/;

/**
 * Reads an amount as PostgreSQL prints a NUMERIC(p,2) column ("989999999901.00")
 * — any size up to the largest order total — as cents. Anything else means the
 * stored data is not what the schema promises, so it throws.
 */
export function centsFromNumeric(text: string): Cents {
  const match = STORED_AMOUNT.exec(text);
  if (!match) throw new Error(`Not a two-decimal amount: ${JSON.stringify(text)}`);
  return Number(match[1]) * 100 + Number(match[2]);
}

/** Cents as a JSON number with at most two decimals: 30 → 0.3, 259998 → 2599.98. */
export function centsToAmount(cents: Cents): number {
  return cents / 100;
}

/** Cents as the exact decimal text a NUMERIC column takes: 5 → "0.05". */
export function centsToDecimalText(cents: Cents): string {
  const whole = Math.trunc(cents / 100);
  const fraction = String(cents % 100).padStart(2, '0');
  return `${whole}.${fraction}`;
}

export function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
