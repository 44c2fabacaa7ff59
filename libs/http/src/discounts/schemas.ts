import Joi from 'joi';
import {
  Cents,
  DISCOUNT_CODE_PATTERN,
  DISCOUNT_TYPES,
  DiscountCodePatch,
  DiscountCodeTerms,
  DiscountType,
  MAX_ORDER_SUBTOTAL_CENTS,
  NOT_APPLICABLE_REASONS,
} from '@carthub/domain';
import { moneyAmount, text, typeWithMessages } from '../fields';
import { errorSchema, money, timestamp } from '../responses';
import { documentedAs } from '../routing/documented-as';

const codeType = typeWithMessages('string', {
  'string.pattern.base': '{#label} must be 1–40 characters of A–Z, a–z, 0–9, _ and -',
});

/** A code as operators and shoppers write it: matched case-insensitively (upper-cased by the domain). */
export const discountCode = () => codeType.string().pattern(DISCOUNT_CODE_PATTERN).example('SUMMER10');

const amount = () => moneyAmount(MAX_ORDER_SUBTOTAL_CENTS);
const percentType = typeWithMessages('number', {
  'number.base': '{#label} must be a number',
  'number.greater': '{#label} must be greater than 0',
  'number.max': '{#label} must be at most 100',
  'percent.precision': '{#label} must have at most two decimals',
});
/**
 * A percent (0 < value ≤ 100, two decimals at most), read into basis points; never rounded. Documented
 * by hand: joi-to-json writes `greater` as both minimum and exclusiveMinimum, which OpenAPI linters refuse.
 */
const percent = () =>
  documentedAs(
    percentType
      .number()
      .strict()
      .greater(0)
      .max(100)
      .custom((value: number, helpers) => {
        const basisPoints = Math.round(value * 100);
        return Math.abs(basisPoints - value * 100) < 1e-6 && /^\d+(\.\d{1,2})?$/.test(String(value))
          ? basisPoints
          : helpers.error('percent.precision');
      }),
    { type: 'number', exclusiveMinimum: 0, maximum: 100 },
  );
const limit = () => Joi.number().strict().integer().min(1).max(2_147_483_647);
const instant = () => Joi.date().iso().strict(false);

export interface DiscountCodeBody {
  code: string;
  type: DiscountType;
  value?: number;
  min_subtotal?: Cents;
  product_ids?: string[];
  starts_at?: Date;
  ends_at?: Date;
  usage_limit?: number;
  usage_limit_per_customer?: number;
  active?: boolean;
}

export const createDiscountCodeBody = Joi.object<DiscountCodeBody>({
  code: discountCode().required().description('1–40 of A–Z a–z 0–9 _ -; matched case-insensitively, stored upper case'),
  type: Joi.string()
    .valid(...DISCOUNT_TYPES)
    .required(),
  value: Joi.when('type', {
    switch: [
      { is: 'percentage', then: percent().required().description('percentage: 0 < value ≤ 100, two decimals at most') },
      { is: 'fixed', then: amount().required().description('fixed: a money amount') },
    ],
    otherwise: Joi.forbidden(),
  }).description('percentage: the percent (0 < value ≤ 100); fixed: the amount; free_shipping: absent'),
  min_subtotal: amount().description("the cart's subtotal must be at least this"),
  product_ids: Joi.array()
    .items(text())
    .min(1)
    .max(100)
    .unique()
    .description('only lines of these products are eligible; absent: every line'),
  starts_at: instant().description('ISO 8601; before it the code does not apply'),
  ends_at: instant().description('ISO 8601, after starts_at; from it on the code does not apply'),
  usage_limit: limit().description('orders that may use the code, in all'),
  usage_limit_per_customer: limit().description('orders one customer may place with it'),
  active: Joi.boolean().strict().default(true),
})
  .required()
  .example({ code: 'SUMMER10', type: 'percentage', value: 10, usage_limit: 100 });

export function termsOf(body: DiscountCodeBody): DiscountCodeTerms {
  return {
    code: body.code,
    type: body.type,
    value: body.value ?? null,
    minSubtotal: body.min_subtotal ?? null,
    productIds: body.product_ids ?? null,
    startsAt: body.starts_at ?? null,
    endsAt: body.ends_at ?? null,
    usageLimit: body.usage_limit ?? null,
    usageLimitPerCustomer: body.usage_limit_per_customer ?? null,
    active: body.active ?? true,
  };
}

export interface DiscountCodePatchBody {
  active?: boolean;
  ends_at?: Date | null;
  usage_limit?: number | null;
  usage_limit_per_customer?: number | null;
}

export const patchDiscountCodeBody = Joi.object<DiscountCodePatchBody, true>({
  active: Joi.boolean().strict(),
  ends_at: instant().allow(null).description('null: no end'),
  usage_limit: limit().allow(null).description('below times_used is allowed: the code is used up; null: no limit'),
  usage_limit_per_customer: limit().allow(null),
})
  .min(1)
  .required()
  .example({ active: false });

export function patchOf(body: DiscountCodePatchBody): DiscountCodePatch {
  return {
    active: body.active,
    endsAt: body.ends_at,
    usageLimit: body.usage_limit,
    usageLimitPerCustomer: body.usage_limit_per_customer,
  };
}

export const codeParams = Joi.object<{ code: string }, true>({ code: discountCode().required() });

export const cartCodeParams = Joi.object<{ customer_id: string; code: string }, true>({
  customer_id: text().example('customer-123').required(),
  code: discountCode().required(),
});

export const shopperCodeBody = Joi.object<{ code: string }, true>({ code: discountCode().required() })
  .required()
  .example({ code: 'SUMMER10' });

export const discountCodeSchema = Joi.object({
  code: Joi.string().required().description('upper case'),
  type: Joi.string()
    .valid(...DISCOUNT_TYPES)
    .required(),
  value: Joi.number()
    .allow(null)
    .required()
    .description('percentage: the percent; fixed: the amount; free_shipping: null'),
  min_subtotal: money().allow(null).required(),
  product_ids: Joi.array().items(Joi.string()).allow(null).required().description('null: every line is eligible'),
  starts_at: timestamp().allow(null).required(),
  ends_at: timestamp().allow(null).required(),
  usage_limit: Joi.number().integer().allow(null).required(),
  usage_limit_per_customer: Joi.number().integer().allow(null).required(),
  active: Joi.boolean().required(),
  times_used: Joi.number().integer().required().description('orders placed with it, less cancelled and expired ones'),
  version: Joi.number().integer().min(1).required().description('1 when created, +1 per change; sent as ETag'),
  created_at: timestamp().required(),
  updated_at: timestamp().required(),
}).label('DiscountCode');

/** A shopper's refusal: the contract adds the reason a code cannot go on the cart, or the code already there. */
export const discountRefusalSchema = errorSchema
  .keys({
    reason: Joi.string()
      .valid(...NOT_APPLICABLE_REASONS)
      .description('DISCOUNT_CODE_NOT_APPLICABLE: why the code cannot go on the cart now'),
    conflicting_code: Joi.string().description('DISCOUNT_CODE_CONFLICT: the code of this type already on the cart'),
  })
  .label('DiscountCodeRefusal');
