import Joi from 'joi';
import { PAYMENT_METHODS } from '@carthub/domain';
import { lineSchema } from '../cart/representation-schemas';
import { money, timestamp } from '../responses';

export const orderSchema = Joi.object({
  order_id: Joi.string().guid().required(),
  customer_id: Joi.string().required(),
  status: Joi.string().valid('pending').required(),
  total_amount: money().required(),
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
  items: Joi.array().items(lineSchema).required(),
  created_at: timestamp().required(),
  updated_at: timestamp().required(),
}).label('Order');

export const checkoutResultSchema = Joi.object({
  success: Joi.boolean().valid(true).required(),
  message: Joi.string().required(),
  order_id: Joi.string().guid().required(),
  total_amount: money().required(),
  order: orderSchema.required(),
}).label('CheckoutResult');

export const orderPageSchema = Joi.object({
  orders: Joi.array().items(orderSchema).required().description('newest first'),
  next_cursor: Joi.string().allow(null).required(),
}).label('OrderPage');
