export interface CartLimits {
  /** Highest quantity one line may hold. */
  readonly maxQuantityPerItem: number;
  /** Most distinct products one cart may hold. */
  readonly maxItems: number;
}

export const DEFAULT_CART_LIMITS: CartLimits = { maxQuantityPerItem: 99, maxItems: 100 };
