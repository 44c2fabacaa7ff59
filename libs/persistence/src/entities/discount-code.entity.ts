import { defineEntity, InferEntity, p } from '@mikro-orm/core';
import { DiscountType } from '@carthub/domain';

/** An operator's discount code and how often orders used it (Migration20261231090000_discount_codes). */
export const DiscountCodeEntity = defineEntity({
  name: 'DiscountCode',
  tableName: 'discount_codes',
  checks: [
    { name: 'discount_codes_type_check', expression: (c) => `${c.type} in ('percentage', 'fixed', 'free_shipping')` },
    {
      name: 'discount_codes_value_check',
      expression: (c) =>
        `(${c.type} = 'free_shipping' and ${c.value} is null) or (${c.type} = 'percentage' and ${c.value} > 0 and ${c.value} <= 100) or (${c.type} = 'fixed' and ${c.value} > 0)`,
    },
    { name: 'discount_codes_times_used_check', expression: (c) => `${c.timesUsed} >= 0` },
    {
      name: 'discount_codes_limits_check',
      expression: (c) =>
        `(${c.usageLimit} is null or ${c.usageLimit} >= 1) and (${c.usageLimitPerCustomer} is null or ${c.usageLimitPerCustomer} >= 1)`,
    },
    {
      name: 'discount_codes_window_check',
      expression: (c) => `${c.startsAt} is null or ${c.endsAt} is null or ${c.startsAt} < ${c.endsAt}`,
    },
  ],
  properties: {
    // Upper case: codes match case-insensitively.
    code: p.string().length(40).primary(),
    type: p.string().$type<DiscountType>().length(16),
    // percentage: the percent (two decimals); fixed: the amount; free_shipping: null.
    value: p.decimal().precision(15).scale(2).nullable(),
    minSubtotal: p.decimal().precision(14).scale(2).nullable(),
    productIds: p.json<string[]>().nullable(),
    startsAt: p.datetime().nullable(),
    endsAt: p.datetime().nullable(),
    usageLimit: p.integer().nullable(),
    usageLimitPerCustomer: p.integer().nullable(),
    active: p.boolean().default(true),
    timesUsed: p.integer().default(0),
    version: p.integer().default(1),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});

/** One customer's uses of one code, counted beside the code's own. */
export const DiscountCodeCustomerUseEntity = defineEntity({
  name: 'DiscountCodeCustomerUse',
  tableName: 'discount_code_customer_uses',
  checks: [{ name: 'discount_code_customer_uses_times_used_check', expression: (c) => `${c.timesUsed} >= 0` }],
  properties: {
    code: p.string().length(40).primary(),
    customerId: p.string().length(255).primary(),
    timesUsed: p.integer().default(0),
  },
});

export type DiscountCodeRow = InferEntity<typeof DiscountCodeEntity>;
