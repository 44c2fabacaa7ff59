import Joi from 'joi';
import { centsToAmount, Cents, MAX_UNIT_PRICE_CENTS, parseCents } from '@carthub/domain';
import { HttpError } from '../errors';

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
// With the u flag a surrogate pair reads as one code point, so \p{Cs} finds only lone halves (a JSON
// "\ud800"): text PostgreSQL would store as U+FFFD, making "X\ud800" and "X\udfff" the same id.
const LONE_SURROGATE = /\p{Cs}/u;

/** Identifiers and names: 1–255 characters after trimming, no control characters, well-formed Unicode. */
export const text = () =>
  Joi.string()
    .trim()
    .min(1)
    .max(255)
    .pattern(NO_CONTROL_CHARACTERS)
    .custom((value: string, helpers) => (LONE_SURROGATE.test(value) ? helpers.error('string.illFormed') : value))
    .messages({
      'string.pattern.base': '{#label} must not contain control characters',
      'string.illFormed': '{#label} must be well-formed Unicode (no lone UTF-16 surrogates)',
    });

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * A price as a JSON number or numeric text ("19.99"), read into cents; never
 * rounded. Joi's number type refuses text a double cannot hold exactly; the
 * body parser keeps such JSON numbers inexact, so they fail here too.
 */
export const price = () =>
  Joi.number()
    .custom((amount: number, helpers) => {
      const written: unknown = helpers.original;
      if (typeof written === 'string' && !DECIMAL_TEXT.test(written.trim())) return helpers.error('price.notNumeric');
      if (amount <= 0) return helpers.error('price.positive');
      if (amount > centsToAmount(MAX_UNIT_PRICE_CENTS)) return helpers.error('price.max');
      const cents: Cents | undefined = parseCents(typeof written === 'string' ? written : amount);
      return cents === undefined ? helpers.error('price.precision') : cents;
    })
    .messages({
      'number.base': '{#label} must be a number with at most two decimals',
      'number.unsafe': '{#label} must be a number with at most two decimals',
      'number.infinity': '{#label} must be a number with at most two decimals',
      'price.notNumeric': '{#label} must be a number',
      'price.positive': '{#label} must be greater than 0',
      'price.max': `{#label} must be at most ${centsToAmount(MAX_UNIT_PRICE_CENTS)}`,
      'price.precision': '{#label} must have at most two decimals',
    });

// Any int4 passes here; the cart's own limit (CART_LIMIT_EXCEEDED) is the real ceiling.
const quantity = (min: number) => Joi.number().integer().min(min).max(2_147_483_647);

const customerId = () => text().example('customer-123');

export interface CustomerParams {
  customer_id: string;
}

export const customerParams = Joi.object<CustomerParams, true>({ customer_id: customerId().required() });

export const itemParams = Joi.object<CustomerParams & { product_id: string }, true>({
  customer_id: customerId().required(),
  product_id: text().example('prod-456').required(),
});

/** What POST /cart/items takes, once validated: the price in cents (name and price absent only in catalog mode). */
export interface AddItemBody {
  customer_id: string;
  product_id: string;
  product_name?: string;
  price?: Cents;
  quantity: number;
}

/** Where names and prices come from: the client (2.0.0), or only the shop's catalog. */
export type PriceSourceKind = 'client' | 'catalog';

/** In catalog mode the name and price may be left out (when sent, they are validated all the same). */
export function addItemBody(prices: PriceSourceKind) {
  const clientSet = <S extends Joi.AnySchema>(schema: S): S =>
    prices === 'client' ? schema.required() : schema.optional().description('optional: the catalog sets it');
  return Joi.object<AddItemBody, true>({
    customer_id: text().required(),
    product_id: text().required(),
    product_name: clientSet(text()),
    price: clientSet(price()),
    quantity: quantity(1).strict().required(),
  })
    .required()
    .example({
      customer_id: 'customer-123',
      product_id: 'prod-456',
      product_name: 'Gaming Laptop',
      price: 1299.99,
      quantity: 2,
    });
}

export const updateItemBody: Joi.ObjectSchema<{ quantity: number } | undefined> = Joi.object<
  { quantity: number },
  true
>({ quantity: quantity(0).strict().required() })
  .description('Optional: without a body, the quantity comes as ?quantity=N')
  .example({ quantity: 3 });

export const updateItemQuery = Joi.object<{ quantity?: number }, true>({
  quantity: quantity(0).description(
    'The quantity when there is no body, as the 2.0.0 router sends it; the same as {"quantity": N}, never both',
  ),
});

/** The quantity a PUT sets: from its body, or from ?quantity= when it has none (the 2.0.0 router). */
export function quantityToSet(body: { quantity: number } | undefined, query: { quantity?: number }): number {
  if (body !== undefined && query.quantity !== undefined) {
    throw quantityError('quantity must come in the body or as ?quantity=, not both');
  }
  const quantity = body?.quantity ?? query.quantity;
  if (quantity === undefined) throw quantityError('quantity is required, in the body or as ?quantity=');
  return quantity;
}

function quantityError(message: string): HttpError {
  return new HttpError(422, 'VALIDATION_FAILED', `Invalid request: ${message}`, [{ field: 'quantity', message }]);
}
