import Joi from 'joi';
import { centsToAmount, Cents, MAX_UNIT_PRICE_CENTS, parseCents } from '@carthub/domain';

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/** Identifiers and names: 1–255 characters after trimming, no control characters. */
export const text = () =>
  Joi.string()
    .trim()
    .min(1)
    .max(255)
    .pattern(NO_CONTROL_CHARACTERS)
    .messages({ 'string.pattern.base': '{#label} must not contain control characters' });

/** A price as a JSON number or numeric text ("19.99"), read into cents; never rounded. */
const price = () =>
  Joi.alternatives()
    .try(Joi.number().strict(), Joi.string().trim())
    .custom((value: number | string, helpers) => {
      if (typeof value === 'string' && !/^-?\d+(\.\d+)?$/.test(value)) return helpers.error('price.notNumeric');
      const amount = Number(value);
      if (amount <= 0) return helpers.error('price.positive');
      if (amount > centsToAmount(MAX_UNIT_PRICE_CENTS)) return helpers.error('price.max');
      const cents: Cents | undefined = parseCents(value);
      return cents === undefined ? helpers.error('price.precision') : cents;
    })
    .messages({
      'alternatives.types': '{#label} must be a number',
      'price.notNumeric': '{#label} must be a number',
      'price.positive': '{#label} must be greater than 0',
      'price.max': `{#label} must be at most ${centsToAmount(MAX_UNIT_PRICE_CENTS)}`,
      'price.precision': '{#label} must have at most two decimals',
    });

// Any int4 passes here; the cart's own limit (CART_LIMIT_EXCEEDED) is the real ceiling.
const quantity = (min: number) => Joi.number().strict().integer().min(min).max(2_147_483_647);

const customerId = () => text().example('customer-123');

export const customerParams = Joi.object({ customer_id: customerId().required() });

export const itemParams = Joi.object({
  customer_id: customerId().required(),
  product_id: text().example('prod-456').required(),
});

export const addItemBody = Joi.object({
  customer_id: text().required(),
  product_id: text().required(),
  product_name: text().required(),
  price: price().required(),
  quantity: quantity(1).required(),
})
  .required()
  .example({
    customer_id: 'customer-123',
    product_id: 'prod-456',
    product_name: 'Gaming Laptop',
    price: 1299.99,
    quantity: 2,
  });

export const updateItemBody = Joi.object({ quantity: quantity(0).required() })
  .required()
  .example({ quantity: 3 });

export interface AddItemBody {
  customer_id: string;
  product_id: string;
  product_name: string;
  price: Cents;
  quantity: number;
}
