export { PostgresDiscountCodeStore } from './discount-code-store';
export { countDiscountUses, giveBackDiscountUses } from './discount-usage';
