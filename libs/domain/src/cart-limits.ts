export interface CartLimits {
  /** Highest quantity one line may hold. */
  readonly maxQuantityPerItem: number;
  /** Most distinct products one cart may hold. */
  readonly maxItems: number;
}

export const DEFAULT_CART_LIMITS: CartLimits = { maxQuantityPerItem: 99, maxItems: 100 };

/**
 * Most units one order may hold: CART_MAX_ITEMS × CART_MAX_QUANTITY_PER_ITEM
 * may not pass it (checked at start-up). The default 100 × 99 is within it.
 * With the largest price it bounds every order amount (MAX_ORDER_TOTAL_CENTS).
 */
export const MAX_UNITS_PER_ORDER = 10_000;
