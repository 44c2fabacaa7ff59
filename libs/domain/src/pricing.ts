import { MAX_UNITS_PER_ORDER } from './cart-limits';
import { UnknownStateError } from './errors';
import { Cents, MAX_UNIT_PRICE_CENTS } from './money';
import { subdivisionCode } from './subdivisions';

/** A tax rate as an exact fraction: "0.101" is 101/1000. */
export interface Rate {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export interface TaxRule {
  /** ISO 3166-1 alpha-2, matched case-insensitively. */
  readonly country: string;
  /** An ISO 3166-2 subdivision code ("WA"), matched case-insensitively; a rule without one covers the whole country. */
  readonly state?: string;
  readonly rate: Rate;
}

export interface ShippingRule {
  readonly flat: Cents;
  /** Shipping is free when the subtotal is at least this. */
  readonly freeOver?: Cents;
}

export interface PricingRules {
  readonly tax: readonly TaxRule[];
  readonly shipping?: ShippingRule;
}

export interface Destination {
  readonly country: string;
  /** Absent in an estimate made before the address is complete: the country's rule applies. */
  readonly state?: string;
}

/** What the shopper pays, all in cents: total = subtotal + tax + shipping, exactly. */
export interface PriceBreakdown {
  readonly subtotal: Cents;
  readonly tax: Cents;
  readonly shipping: Cents;
  readonly total: Cents;
}

/** The largest flat shipping a rules file may set. */
export const MAX_SHIPPING_CENTS: Cents = MAX_UNIT_PRICE_CENTS;

/** The largest subtotal the limits allow: every unit an order may hold at the largest price. */
export const MAX_ORDER_SUBTOTAL_CENTS: Cents = MAX_UNITS_PER_ORDER * MAX_UNIT_PRICE_CENTS;

/**
 * The largest total the limits allow: that subtotal taxed at 100 % (the highest
 * rate parseRate reads) plus the largest shipping, 2,000,099,999,799.99. Order
 * columns hold it (NUMERIC(15,2)), and no amount a client sends may pass it.
 */
export const MAX_ORDER_TOTAL_CENTS: Cents = 2 * MAX_ORDER_SUBTOTAL_CENTS + MAX_SHIPPING_CENTS;

export const NO_PRICING_RULES: PricingRules = { tax: [] };
export const ZERO_RATE: Rate = { numerator: 0n, denominator: 1n };

const RATE_TEXT = /^(0|1)(?:\.(\d{1,6}))?$/;

/** Reads a rate written as decimal text between 0 and 1 with at most six decimals, or undefined. */
export function parseRate(text: string): Rate | undefined {
  const match = RATE_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, whole, fraction = ''] = match;
  const denominator = 10n ** BigInt(fraction.length);
  const numerator = BigInt(whole) * denominator + BigInt(fraction || '0');
  return numerator > denominator ? undefined : { numerator, denominator };
}

/** The most specific rule for the destination: country and state, then country alone; none is rate 0. */
export function taxRateFor(rules: PricingRules, destination: Destination): Rate {
  const country = destination.country.toUpperCase();
  const state = destination.state?.trim().toUpperCase();
  const inCountry = rules.tax.filter((rule) => rule.country.toUpperCase() === country);
  const exact = inCountry.find((rule) => rule.state !== undefined && rule.state.trim().toUpperCase() === state);
  return (exact ?? inCountry.find((rule) => rule.state === undefined))?.rate ?? ZERO_RATE;
}

/**
 * The destination as stored and taxed: its state becomes the ISO 3166-2 code
 * whenever it names one of the country's subdivisions ("washington" → "WA"),
 * and stays as written otherwise — except where the country's tax rules list
 * states: there it must name one, so a state the rules cannot recognise is
 * refused rather than taxed at the country's rate.
 */
export function resolveDestination<D extends Destination>(rules: PricingRules, destination: D): D {
  if (destination.state === undefined) return destination;
  const code = subdivisionCode(destination.country, destination.state);
  if (code !== undefined) return { ...destination, state: code };
  const country = destination.country.toUpperCase();
  if (rules.tax.some((rule) => rule.state !== undefined && rule.country.toUpperCase() === country)) {
    throw new UnknownStateError(country);
  }
  return destination;
}

/** `amount × rate`, rounded half up to the cent: the one rounding an order's money goes through. */
export function applyRate(amount: Cents, rate: Rate): Cents {
  const scaled = BigInt(amount) * rate.numerator;
  const rounded = (2n * scaled + rate.denominator) / (2n * rate.denominator);
  return Number(rounded);
}

export function shippingFor(subtotal: Cents, rule: ShippingRule | undefined): Cents {
  if (!rule) return 0;
  return rule.freeOver !== undefined && subtotal >= rule.freeOver ? 0 : rule.flat;
}

/** Tax on the whole subtotal (never per line), shipping, and their exact sum. */
export function priceBreakdown(subtotal: Cents, rules: PricingRules, destination: Destination): PriceBreakdown {
  const tax = applyRate(subtotal, taxRateFor(rules, destination));
  const shipping = shippingFor(subtotal, rules.shipping);
  return { subtotal, tax, shipping, total: subtotal + tax + shipping };
}
