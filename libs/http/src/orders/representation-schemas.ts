import Joi from 'joi';
import { DISCOUNT_TYPES, ORDER_STATES, PAYMENT_METHODS, STOCK_RESERVATION_STATES } from '@carthub/domain';
import { cartSchema, discountedLineSchema, quoteSchema } from '../cart/representation-schemas';
import { errorSchema, money, timestamp, unitPrice } from '../responses';
import { outOfStockFields } from '../stock/schemas';
import { MAX_EMAIL_LENGTH } from '../fields';

const orderFields = {
  order_id: Joi.string().guid().required(),
  customer_id: Joi.string().required(),
  status: Joi.string()
    .valid(...ORDER_STATES)
    .required(),
  subtotal: money().required(),
  discount: money().required().description('what the applied codes took off the lines'),
  discount_codes: Joi.array()
    .items(
      Joi.object({
        code: Joi.string().required(),
        type: Joi.string()
          .valid(...DISCOUNT_TYPES)
          .required(),
        amount: money().required().description('what it took off (free_shipping: the shipping it saved)'),
      }).label('OrderDiscountCode'),
    )
    .required()
    .description('the codes that applied, in the order applied to the cart (their uses were counted)'),
  tax: money()
    .required()
    .description('(subtotal − discount) × the rate for the shipping address, rounded half up once'),
  shipping: money().required(),
  total_amount: money().required().description('subtotal − discount + tax + shipping: what the shopper pays'),
  currency: Joi.string().length(3).required(),
  total_items: Joi.number().integer().required(),
  payment_method: Joi.string()
    .valid(...PAYMENT_METHODS)
    .allow(null)
    .required(),
  shipping_address: Joi.object({
    street: Joi.string(),
    city: Joi.string(),
    state: Joi.string(),
    zip: Joi.string(),
    country: Joi.string(),
  })
    .allow(null)
    .required(),
  email: Joi.string()
    .max(MAX_EMAIL_LENGTH)
    .allow(null)
    .required()
    .description('the receipt address checkout was given; null when none'),
  version: Joi.number().integer().min(1).required().description('1 when placed, +1 per transition; sent as ETag'),
  status_history: Joi.array()
    .items(
      Joi.object({
        status: Joi.string()
          .valid(...ORDER_STATES)
          .required(),
        at: timestamp().required(),
        reason: Joi.string().allow(null).required(),
      }).label('StatusChange'),
    )
    .required()
    .description('every state the order has been in, oldest first'),
  payment_id: Joi.string().allow(null).required().description('null until paid; kept after a refund'),
  tracking_number: Joi.string().allow(null).required().description('null until fulfilled'),
};

const timestamps = { created_at: timestamp().required(), updated_at: timestamp().required() };

const reservationSchema = Joi.object({
  product_id: Joi.string().required(),
  quantity: Joi.number().integer().min(1).required(),
  state: Joi.string()
    .valid(...STOCK_RESERVATION_STATES)
    .required(),
}).label('StockReservation');

export const orderSchema = Joi.object({
  ...orderFields,
  items: Joi.array().items(discountedLineSchema).required(),
  reservations: Joi.array()
    .items(reservationSchema)
    .required()
    .description('what the order holds of tracked products ([] when none): reserved, then consumed or released'),
  ...timestamps,
}).label('Order');

export const orderSummarySchema = Joi.object({
  ...orderFields,
  item_count: Joi.number().integer().required().description('how many lines the order has'),
  ...timestamps,
})
  .label('OrderSummary')
  .description(
    'An Order without its items, so that a page costs the same whatever the orders hold; ' +
      'the whole order is at GET /api/v1/orders/{order_id}',
  );

export const checkoutResultSchema = Joi.object({
  success: Joi.boolean().valid(true).required(),
  message: Joi.string().required(),
  order_id: Joi.string().guid().required(),
  total_amount: money().required(),
  order: orderSchema.required(),
}).label('CheckoutResult');

export const orderPageSchema = Joi.object({
  orders: Joi.array().items(orderSummarySchema).required().description('newest first'),
  next_cursor: Joi.string()
    .allow(null)
    .required()
    .description('opaque: pass it back as `cursor` for the next page; null on the last page'),
}).label('OrderPage');

export const checkoutRefusalSchema = errorSchema
  .keys({
    changes: Joi.array()
      .items(Joi.object({ product_id: Joi.string(), old_price: unitPrice(), price: unitPrice() }))
      .description('PRICES_CHANGED: lines whose price the catalog changed (now stored)'),
    unavailable: Joi.array().items(Joi.string()).description('PRICES_CHANGED: products unknown or no longer sold'),
    ...outOfStockFields,
    cart: cartSchema.description('PRICES_CHANGED: the cart as it now stands; OUT_OF_STOCK: the cart, unchanged'),
    quote: quoteSchema.description('TOTAL_CHANGED: what checkout computed'),
  })
  .label('CheckoutRefusal');
