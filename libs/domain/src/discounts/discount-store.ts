import { DiscountCode, DiscountCodePatch, DiscountCodeState, DiscountCodeTerms } from './discount-code';

/** Reads codes as one customer's cart sees them. */
export interface DiscountCodeReader {
  /** The codes' states for the customer, by code; a code that does not exist is absent. */
  states(codes: readonly string[], customerId: string): Promise<ReadonlyMap<string, DiscountCodeState>>;
}

/** The port for the operator's codes; each change writes its event in its own transaction. */
export interface DiscountCodeStore extends DiscountCodeReader {
  /** Refuses a code that exists (DISCOUNT_CODE_EXISTS). */
  create(terms: DiscountCodeTerms): Promise<DiscountCode>;
  find(code: string): Promise<DiscountCode | undefined>;
  /**
   * Applies the patch (version +1) if the code is at `expectedVersion` (when
   * given); DISCOUNT_CODE_NOT_FOUND, VERSION_MISMATCH, or VALIDATION_FAILED
   * when ends_at would not come after starts_at.
   */
  update(code: string, patch: DiscountCodePatch, expectedVersion?: number): Promise<DiscountCode>;
}

/**
 * The cart's codes as checkout reads them with the cart, under its lock, in
 * the order's transaction, and that transaction's clock: what `build` prices
 * the discount from.
 */
export interface CheckoutDiscounts {
  /** The states of the codes on the cart, by code; a code that no longer exists is absent. */
  readonly states: ReadonlyMap<string, DiscountCodeState>;
  readonly now: Date;
}

/** No codes exist: what a store without discounts answers. */
export const NO_DISCOUNT_CODES: DiscountCodeReader = { states: async () => new Map() };

/**
 * Counting the order's uses, in its transaction, found these applied codes
 * used up (or no longer usable) since they were read: nothing of the order is
 * written, and checkout builds it again without them.
 */
export class DiscountCodesUsedUpError extends Error {
  constructor(readonly codes: readonly string[]) {
    super(`Discount codes used up at checkout: ${codes.join(', ')}`);
  }
}
