import Joi from 'joi';
import { DISCOUNT_TYPES, NOT_APPLICABLE_REASONS } from '@carthub/domain';
import { money, timestamp, unitPrice } from '../responses';

export const lineSchema = Joi.object({
  product_id: Joi.string().required(),
  product_name: Joi.string().required(),
  price: unitPrice().required(),
  quantity: Joi.number().integer().required(),
  subtotal: money().required(),
}).label('CartLine');

const discountCodeType = () => Joi.string().valid(...DISCOUNT_TYPES);

export const discountedLineSchema = lineSchema
  .keys({
    discount: money()
      .required()
      .description("the line's share of `discount` (largest-remainder rule); never more than its subtotal"),
  })
  .label('DiscountedLine');

export const codeOnCartSchema = Joi.object({
  code: Joi.string().required().description('upper case'),
  type: discountCodeType().required(),
  applicable: Joi.boolean().required().description('whether the code takes anything off now'),
  reason: Joi.string()
    .valid(...NOT_APPLICABLE_REASONS)
    .allow(null)
    .required()
    .description('why it does not apply now (null when it does); it stays on the cart and applies again by itself'),
  amount: money()
    .required()
    .description('what it takes off the lines (free_shipping: the shipping it saves); 0 when it does not apply'),
}).label('CartDiscountCode');

export const cartSchema = Joi.object({
  customer_id: Joi.string().required(),
  items: Joi.array().items(discountedLineSchema).required().description('oldest line first'),
  total_items: Joi.number().integer().required(),
  subtotal: money().required().description('the undiscounted sum of the lines'),
  discount: money().required().description('the sum of the applicable percentage and fixed codes’ amounts'),
  discount_codes: Joi.array().items(codeOnCartSchema).required().description('in the order applied'),
  currency: Joi.string().length(3).required().description("ISO 4217 (the service's CURRENCY)"),
  version: Joi.number().integer().required().description('also sent as the ETag'),
  created_at: timestamp().allow(null).required(),
  updated_at: timestamp().allow(null).required(),
  expires_at: timestamp()
    .allow(null)
    .required()
    .description(
      'updated_at + the TTL (CART_TTL_SECONDS, or CART_GUEST_TTL_SECONDS for a guest); null when empty. Past it the cart reads as empty',
    ),
}).label('Cart');

const productId = () => Joi.string().required();

export const warningSchema = Joi.alternatives()
  .try(
    Joi.object({
      code: Joi.string().valid('PRICE_CHANGED').required(),
      product_id: productId(),
      price: unitPrice().required().description("the catalog's price, which was stored"),
      client_price: unitPrice().required().description('the price the client sent'),
    }).label('PriceChangedWarning'),
    Joi.object({
      code: Joi.string().valid('QUANTITY_LIMITED').required(),
      product_id: productId(),
      requested: Joi.number().integer().required(),
      quantity: Joi.number().integer().required(),
    }).label('QuantityLimitedWarning'),
    Joi.object({ code: Joi.string().valid('CART_FULL').required(), product_id: productId() })
      .label('CartFullWarning')
      .description('merge: the line would pass the line limit, so it stays in the source cart'),
    Joi.object({ code: Joi.string().valid('DISCOUNT_CODE_DROPPED').required(), discount_code: Joi.string().required() })
      .label('DiscountCodeDroppedWarning')
      .description("merge: the target already holds a code of this type, so the source's code was dropped"),
    Joi.object({ code: Joi.string().valid('PRODUCT_UNAVAILABLE').required(), product_id: productId() })
      .label('ProductUnavailableWarning')
      .description(
        'merge in catalog mode: the catalog no longer sells the product, so its line stays in the source cart',
      ),
  )
  .label('CartWarning');

export const mutationResultSchema = Joi.object({
  success: Joi.boolean().valid(true).required(),
  message: Joi.string().required(),
  cart: cartSchema.required(),
  warnings: Joi.array().items(warningSchema).required().description('[] when there are none'),
}).label('MutationResult');

export const quoteSchema = Joi.object({
  subtotal: money().required(),
  discount: money().required().description("what the cart's applicable codes take off"),
  tax: money().required().description('(subtotal − discount) × the matching rate, rounded half up once'),
  shipping: money().required().description('0 with an applicable free_shipping code'),
  total: money().required().description('subtotal − discount + tax + shipping'),
  currency: Joi.string().length(3).required(),
  cart_version: Joi.number().integer().required().description('the cart version this quote is for'),
}).label('Quote');
