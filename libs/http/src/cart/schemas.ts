import Joi from 'joi';
import { Cents, MERGE_STRATEGIES, MergeStrategy } from '@carthub/domain';
import { HttpError } from '../errors';
import { price, QuoteAddress, quoteAddress, text } from '../fields';

/**
 * Numbers only, never text read as one: what `.strict()` gives, but `.strict()`
 * is a preference, and Joi merges a schema's preferences into the options on every call.
 */
export const jsonNumber: Joi.Root = Joi.extend({
  type: 'number',
  base: Joi.number(),
  prepare: (value: unknown, helpers: Joi.CustomHelpers) =>
    typeof value === 'number' ? undefined : { value, errors: [helpers.error('number.base')] },
});

// Any int4 passes here; the cart's own limit (CART_LIMIT_EXCEEDED) is the real ceiling.
const quantity = (min: number, numbers: Joi.Root = Joi) => numbers.number().integer().min(min).max(2_147_483_647);
const bodyQuantity = (min: number) => quantity(min, jsonNumber);

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
    quantity: bodyQuantity(1).required(),
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
>({ quantity: bodyQuantity(0).required() })
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

export const quoteBody = Joi.object<{ shipping_address: QuoteAddress }, true>({
  shipping_address: quoteAddress().required(),
})
  .required()
  .example({ shipping_address: { country: 'US', state: 'WA' } });

/** What POST /cart/{customer_id}/merge takes. */
export interface MergeBody {
  source_customer_id: string;
  strategy: MergeStrategy;
  source_token?: string;
}

export const mergeBody = Joi.object<MergeBody, true>({
  source_customer_id: text().required().description('the cart whose lines move (a guest id, usually)'),
  strategy: Joi.string()
    .valid(...MERGE_STRATEGIES)
    .default('sum')
    .description(
      'sum: quantities added; max: the larger kept; keep_target: only new products; replace: the source replaces the target',
    ),
  source_token: Joi.string()
    .max(8192)
    .description('with authentication on, required: a valid (guest or customer) token whose subject is the source'),
})
  .required()
  .example({ source_customer_id: 'guest_abc…', strategy: 'sum', source_token: '<guest JWT>' });
