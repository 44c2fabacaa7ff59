import Joi from 'joi';
import { EventType, MERGE_STRATEGIES, STOCK_CHANGE_REASONS } from '@carthub/domain';
import { lineSchema } from '../cart/representation-schemas';
import { orderSchema } from '../orders/representation-schemas';
import { discountCodeSchema } from '../discounts/schemas';

interface EventDefinition {
  readonly summary: string;
  readonly aggregate: 'cart' | 'order' | 'stock' | 'discount_code';
  readonly data: Joi.ObjectSchema;
}

const lineChange = (line: Joi.Schema) => Joi.object({ product_id: Joi.string().required(), line: line.required() });
const orderChange = Joi.object({ order: orderSchema.required() });
const discountCodeChange = Joi.object({ discount_code: discountCodeSchema.required() });

/** Every event the service publishes, once: the source of the payloads' schemas and of the AsyncAPI document. */
export const EVENT_DEFINITIONS = {
  'cart.item_added': {
    summary: 'A product was added to a cart (or added again: its quantity grew)',
    aggregate: 'cart',
    data: lineChange(lineSchema),
  },
  'cart.item_updated': { summary: "A line's quantity was set", aggregate: 'cart', data: lineChange(lineSchema) },
  'cart.item_removed': {
    summary: 'A line was removed (or its quantity set to 0)',
    aggregate: 'cart',
    data: lineChange(Joi.valid(null)),
  },
  'cart.cleared': {
    summary: 'A cart was emptied: by the shopper, by checkout, or by a merge into another cart',
    aggregate: 'cart',
    data: Joi.object({
      reason: Joi.string().valid('cleared', 'checkout', 'merged').required(),
      remaining: Joi.array().items(lineSchema).required().description('lines a merge left behind (CART_FULL)'),
    }),
  },
  'cart.merged': {
    summary: "Another cart's lines were merged into this one",
    aggregate: 'cart',
    data: Joi.object({
      source_customer_id: Joi.string().required(),
      strategy: Joi.string()
        .valid(...MERGE_STRATEGIES)
        .required(),
    }),
  },
  'cart.expired': { summary: 'A cart past its expiry was emptied by cleanup', aggregate: 'cart', data: Joi.object({}) },
  'cart.discount_code_added': {
    summary: 'The shopper put a discount code on the cart',
    aggregate: 'cart',
    data: Joi.object({ code: Joi.string().required().description('upper case') }),
  },
  'cart.discount_code_removed': {
    summary: 'The shopper took a discount code off the cart',
    aggregate: 'cart',
    data: Joi.object({ code: Joi.string().required().description('upper case') }),
  },
  'discount_code.created': {
    summary: 'An operator created a discount code',
    aggregate: 'discount_code',
    data: discountCodeChange,
  },
  'discount_code.updated': {
    summary: 'An operator changed a discount code (active, ends_at, usage limits)',
    aggregate: 'discount_code',
    data: discountCodeChange,
  },
  'order.placed': { summary: 'Checkout placed an order', aggregate: 'order', data: orderChange },
  'order.paid': { summary: 'A payment was recorded for an order', aggregate: 'order', data: orderChange },
  'order.cancelled': { summary: 'An unpaid order was cancelled', aggregate: 'order', data: orderChange },
  'order.fulfilled': { summary: 'A paid order was shipped', aggregate: 'order', data: orderChange },
  'order.delivered': { summary: 'A shipped order was delivered', aggregate: 'order', data: orderChange },
  'order.refunded': { summary: 'A paid order was refunded', aggregate: 'order', data: orderChange },
  'order.expired': {
    summary: 'An order left unpaid past ORDER_PAYMENT_TTL_SECONDS expired',
    aggregate: 'order',
    data: orderChange,
  },
  'stock.changed': {
    summary:
      "A product's stock changed: one event per product per change, in the change's transaction; " +
      'sequence is the stock version (per product, no gaps)',
    aggregate: 'stock',
    data: Joi.object({
      product_id: Joi.string().required(),
      on_hand: Joi.number().integer().min(0).required().description('0 once untracked'),
      reserved: Joi.number().integer().min(0).required(),
      available: Joi.number().integer().min(0).required().description('on_hand − reserved (0 once untracked)'),
      reason: Joi.string()
        .valid(...STOCK_CHANGE_REASONS)
        .required()
        .description(
          'set (a stocktake), adjusted (received or written off), reserved (checkout), released (cancelled, expired, ' +
            'refunded), consumed (fulfilled), untracked (the product is no longer tracked: unlimited)',
        ),
      order_id: Joi.string().guid().description('the order that moved the stock (reserved, released, consumed)'),
    }),
  },
  'order.reassigned': {
    summary: "A guest's order moved to the customer the guest signed in as (a cart merge)",
    aggregate: 'order',
    data: Joi.object({
      order: orderSchema.required(),
      previous_customer_id: Joi.string().required().description('the guest id the order belonged to'),
    }),
  },
} as const satisfies Record<EventType, EventDefinition>;

const AGGREGATE_IDS = {
  cart: 'the customer_id',
  order: 'the order_id',
  stock: 'the product_id',
  discount_code: 'the code',
} as const;

/** The contract's envelope around one type's data. */
export function envelopeSchema(type: EventType): Joi.ObjectSchema {
  const definition: EventDefinition = EVENT_DEFINITIONS[type];
  return Joi.object({
    id: Joi.string().guid().required().description('unique per event; also the Nats-Msg-Id header'),
    type: Joi.string().valid(type).required(),
    aggregate_type: Joi.string().valid(definition.aggregate).required(),
    aggregate_id: Joi.string().required().description(AGGREGATE_IDS[definition.aggregate]),
    sequence: Joi.number()
      .integer()
      .min(1)
      .required()
      .description("the aggregate's version after the change: per aggregate, no gaps"),
    occurred_at: Joi.string().isoDate().required(),
    schema_version: Joi.number().valid(1).required(),
    data: definition.data.required(),
  }).label(`${type} envelope`);
}
