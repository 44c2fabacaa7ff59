export { PostgresDiscountCodeStore } from './discount-code-store';
export { discountUsageIn, giveBackDiscountUses } from './discount-usage';
