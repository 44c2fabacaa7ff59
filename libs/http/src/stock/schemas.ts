import Joi from 'joi';
import { MAX_AVAILABILITY_IDS, MAX_STOCK_UNITS } from '@carthub/domain';
import { text } from '../fields';
import { jsonNumber } from '../cart/schemas';
import { ifMatchHeader } from '../cart/preconditions';
import { errorSchema, timestamp } from '../responses';
import { cartSchema } from '../cart/representation-schemas';

export const stockParams = Joi.object<{ product_id: string }, true>({
  product_id: text().example('prod-456').required(),
});

export const stockIfMatch = {
  'If-Match': ifMatchHeader.description('"<stock version>": change the stock only if it is still at it (else 412)'),
};

const units = () => jsonNumber.number().integer();

export const stocktakeBody = Joi.object<{ on_hand: number }, true>({
  on_hand: units().min(0).max(MAX_STOCK_UNITS).required().description('the units the shop holds, counted'),
})
  .required()
  .example({ on_hand: 25 });

export const adjustmentBody = Joi.object<{ delta: number; reason?: string }, true>({
  delta: units()
    .min(-MAX_STOCK_UNITS)
    .max(MAX_STOCK_UNITS)
    .invalid(0)
    .required()
    .messages({ 'any.invalid': '{#label} must not be 0' })
    .description('goods received (+) or written off (−); never 0'),
  reason: Joi.string().max(255).description('why, for the operator (not stored)'),
})
  .required()
  .example({ delta: -2, reason: 'damaged in the warehouse' });

/** An array sent as one comma-separated query parameter. */
const commaSeparated: Joi.Root = Joi.extend({
  type: 'array',
  base: Joi.array(),
  coerce: { from: 'string', method: (value: string) => ({ value: value.split(',') }) },
});

/** `product_ids=a,b,c`: 1–100 ids, each an id as everywhere else. */
export const availabilityQuery = Joi.object<{ product_ids: string[] }, true>({
  product_ids: commaSeparated
    .array()
    .items(text())
    .min(1)
    .max(MAX_AVAILABILITY_IDS)
    .required()
    .description(`comma-separated product ids, 1–${MAX_AVAILABILITY_IDS}`)
    .example(['prod-456', 'prod-789']),
});

export const stockSchema = Joi.object({
  product_id: Joi.string().required(),
  tracked: Joi.boolean().valid(true).required(),
  on_hand: Joi.number().integer().min(0).required(),
  reserved: Joi.number().integer().min(0).required().description('units promised to placed orders not yet shipped'),
  available: Joi.number().integer().min(0).required().description('on_hand − reserved'),
  version: Joi.number().integer().min(1).required().description('+1 per change; sent as ETag'),
  updated_at: timestamp().required(),
}).label('Stock');

export const untrackedStockSchema = Joi.object({
  product_id: Joi.string().required(),
  tracked: Joi.boolean().valid(false).required(),
}).label('UntrackedStock');

export const stockOrUntrackedSchema = Joi.alternatives(stockSchema, untrackedStockSchema);

export const availabilitySchema = Joi.object({
  availability: Joi.array()
    .items(
      Joi.object({
        product_id: Joi.string().required(),
        tracked: Joi.boolean().required(),
        available: Joi.number().integer().min(0).allow(null).required().description('null when untracked (unlimited)'),
      }).label('Availability'),
    )
    .required()
    .description('in the order asked'),
}).label('AvailabilityList');

/** STOCK_BELOW_RESERVED and STOCK_RESERVED: the error and the stock as it stands. */
export const stockRefusalSchema = errorSchema.keys({ stock: stockOrUntrackedSchema.required() }).label('StockRefusal');

const shortageSchema = Joi.object({
  product_id: Joi.string().required(),
  requested: Joi.number().integer().required(),
  available: Joi.number().integer().required(),
}).label('StockShortage');

/** The fields OUT_OF_STOCK adds: at checkout every short line and the cart; on a cart change the product. */
export const outOfStockFields = {
  shortages: Joi.array().items(shortageSchema).description('OUT_OF_STOCK at checkout: every short line'),
  product_id: Joi.string().description('OUT_OF_STOCK on a cart change: the product with nothing left'),
  available: Joi.number().integer().description('OUT_OF_STOCK on a cart change: 0'),
  cart: cartSchema.description('OUT_OF_STOCK at checkout: the cart, unchanged'),
};
