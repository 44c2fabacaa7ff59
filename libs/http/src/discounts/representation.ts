import { centsToAmount, DiscountCode } from '@carthub/domain';

/** The contract's DiscountCode, field by field; a percentage's basis points as its percent (1,250 → 12.5). */
export function discountCodeRepresentation(code: DiscountCode) {
  return {
    code: code.code,
    type: code.type,
    value: code.value === null ? null : centsToAmount(code.value),
    min_subtotal: code.minSubtotal === null ? null : centsToAmount(code.minSubtotal),
    product_ids: code.productIds === null ? null : [...code.productIds],
    starts_at: code.startsAt?.toISOString() ?? null,
    ends_at: code.endsAt?.toISOString() ?? null,
    usage_limit: code.usageLimit,
    usage_limit_per_customer: code.usageLimitPerCustomer,
    active: code.active,
    times_used: code.timesUsed,
    version: code.version,
    created_at: code.createdAt.toISOString(),
    updated_at: code.updatedAt.toISOString(),
  };
}
