import Joi from 'joi';
import { money, timestamp } from '../responses';

export const lineSchema = Joi.object({
  product_id: Joi.string().required(),
  product_name: Joi.string().required(),
  price: money().required(),
  quantity: Joi.number().integer().required(),
  subtotal: money().required(),
}).label('CartLine');

export const cartSchema = Joi.object({
  customer_id: Joi.string().required(),
  items: Joi.array().items(lineSchema).required().description('oldest line first'),
  total_items: Joi.number().integer().required(),
  subtotal: money().required(),
  version: Joi.number().integer().required().description('also sent as the ETag'),
  created_at: timestamp().allow(null).required(),
  updated_at: timestamp().allow(null).required(),
}).label('Cart');

export const mutationResultSchema = Joi.object({
  success: Joi.boolean().valid(true).required(),
  message: Joi.string().required(),
  cart: cartSchema.required(),
}).label('MutationResult');
