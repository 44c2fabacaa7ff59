import Joi from 'joi';
import { centsToAmount, Cents, MAX_UNIT_PRICE_CENTS, parseCents, ShippingAddress } from '@carthub/domain';
import { documentedAs } from './routing/documented-as';

// The field rules every route shares, so each is written once.

/**
 * A Joi type that carries its own messages. Joi merges a schema's `.messages()`
 * into the validation options each time that schema is validated (within an
 * object, on every request); messages given to the type once cost nothing per call.
 */
export function typeWithMessages(type: 'string' | 'number' | 'any', messages: Joi.LanguageMessages): Joi.Root {
  return Joi.extend({ type, base: Joi[type](), messages });
}

const textType = typeWithMessages('string', {
  'string.pattern.base': '{#label} must not contain control characters',
  'string.illFormed': '{#label} must be well-formed Unicode (no lone UTF-16 surrogates)',
});

// \p{Cc} written out, without the u flag, so the OpenAPI document carries it as a plain ECMA-262 pattern.
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*$/;
// With the u flag a surrogate pair reads as one code point, so \p{Cs} finds only lone halves (a JSON
// "\ud800"): text PostgreSQL would store as U+FFFD, making "X\ud800" and "X\udfff" the same id.
const LONE_SURROGATE = /\p{Cs}/u;

/** The most UTF-16 units an identifier, a name or any other text field holds. */
export const MAX_TEXT_LENGTH = 255;

/** Identifiers and names: 1–255 characters after trimming, no control characters, well-formed Unicode. */
export const text = () =>
  textType
    .string()
    .trim()
    .min(1)
    .max(MAX_TEXT_LENGTH)
    .pattern(NO_CONTROL_CHARACTERS)
    .custom((value: string, helpers) => (LONE_SURROGATE.test(value) ? helpers.error('string.illFormed') : value));

/** The longest address SMTP delivers to (RFC 5321's 256-octet path, less its angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

/** An e-mail address, checked for shape only (any top-level domain: shops sell to new ones too). */
export const receiptEmail = () =>
  Joi.string()
    .max(MAX_EMAIL_LENGTH)
    .email({ tlds: { allow: false } });

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * A price as a JSON number or numeric text ("19.99"), read into cents; never
 * rounded; at most `maxCents` (a unit price's bound unless told). Joi's number type refuses text a double cannot hold exactly; the
 * body parser keeps such JSON numbers inexact, so they fail here too.
 */
export const price = () => moneyAmount(MAX_UNIT_PRICE_CENTS);

// The bound is in a message, so each bound has a type of its own.
const moneyType = (maxCents: Cents): Joi.Root =>
  typeWithMessages('number', {
    'number.base': '{#label} must be a number with at most two decimals',
    'number.unsafe': '{#label} must be a number with at most two decimals',
    'number.infinity': '{#label} must be a number with at most two decimals',
    'price.notNumeric': '{#label} must be a number',
    'price.positive': '{#label} must be greater than 0',
    'price.max': `{#label} must be at most ${centsToAmount(maxCents)}`,
    'price.precision': '{#label} must have at most two decimals',
  });

/** A money amount as price() reads it, up to `maxCents` (a unit price, or the largest order total). */
export const moneyAmount = (maxCents: Cents) =>
  documentedAs(
    moneyType(maxCents)
      .number()
      .custom((amount: number, helpers) => {
        const written: unknown = helpers.original;
        if (typeof written === 'string' && !DECIMAL_TEXT.test(written.trim())) return helpers.error('price.notNumeric');
        if (amount <= 0) return helpers.error('price.positive');
        if (amount > centsToAmount(maxCents)) return helpers.error('price.max');
        const cents: Cents | undefined = parseCents(typeof written === 'string' ? written : amount, maxCents);
        return cents === undefined ? helpers.error('price.precision') : cents;
      }),
    moneyAmountJson(maxCents),
  );

/**
 * What moneyAmount() accepts, as JSON Schema: a number above 0 and at most the bound, or (as 2.0.0 clients
 * send) the same as decimal text. "At most two decimals" is not `multipleOf: 0.01`, which binary doubles
 * cannot check reliably (0.07 / 0.01 is not an integer); the text form says it exactly.
 */
function moneyAmountJson(maxCents: Cents) {
  const wholeDigits = String(Math.floor(maxCents / 100)).length;
  return {
    anyOf: [
      { type: 'number', exclusiveMinimum: 0, maximum: centsToAmount(maxCents) },
      { type: 'string', pattern: `^(?!0*(\\.0*)?$)\\d{1,${wholeDigits}}(\\.\\d{1,2})?$` },
    ],
  };
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

const countryType = typeWithMessages('string', {
  'country.unknown': '{#label} must be an ISO 3166-1 alpha-2 country code',
});

/** ISO 3166-1 alpha-2, checked against the region list Node's ICU data knows. */
export const country = () =>
  countryType
    .string()
    .trim()
    .uppercase()
    .length(2)
    .custom((code: string, helpers) =>
      /^[A-Z]{2}$/.test(code) && regionNames.of(code) ? code : helpers.error('country.unknown'),
    );

/**
 * Where an order ships: also what tax rules match on (country, then state). The domain stores the state as
 * its ISO 3166-2 code when it names one, and refuses one it cannot place where the tax rules list states.
 */
export const shippingAddress = () =>
  Joi.object<ShippingAddress, true>({
    street: text().required(),
    city: text().required(),
    state: text().required(),
    zip: text().required(),
    country: country().default('US'),
  }).label('ShippingAddress');

/** What a quote needs: the country, and the state if known; street, city and zip are only for checkout. */
export const quoteAddress = () =>
  Joi.object<QuoteAddress, true>({
    country: country().required(),
    state: text(),
    street: text(),
    city: text(),
    zip: text(),
  }).label('QuoteAddress');

export interface QuoteAddress extends Partial<ShippingAddress> {
  readonly country: string;
}
