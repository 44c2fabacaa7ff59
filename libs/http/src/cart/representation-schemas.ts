import Joi from 'joi';
import { money, timestamp, unitPrice } from '../responses';

export const lineSchema = Joi.object({
  product_id: Joi.string().required(),
  product_name: Joi.string().required(),
  price: unitPrice().required(),
  quantity: Joi.number().integer().required(),
  subtotal: money().required(),
}).label('CartLine');

export const cartSchema = Joi.object({
  customer_id: Joi.string().required(),
  items: Joi.array().items(lineSchema).required().description('oldest line first'),
  total_items: Joi.number().integer().required(),
  subtotal: money().required(),
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
  tax: money().required().description('subtotal × the matching rate, rounded half up once'),
  shipping: money().required(),
  total: money().required().description('subtotal + tax + shipping'),
  currency: Joi.string().length(3).required(),
  cart_version: Joi.number().integer().required().description('the cart version this quote is for'),
}).label('Quote');
