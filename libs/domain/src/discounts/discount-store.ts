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
 * A checkout's view of its codes, bound to the order's transaction: what it
 * reads and counts is committed with the order or not at all.
 */
export interface DiscountUsage {
  states(codes: readonly string[]): Promise<ReadonlyMap<string, DiscountCodeState>>;
  /**
   * Counts one use of the code by this customer when its limits still allow
   * one (one conditional statement); false when it is used up.
   */
  claim(code: string): Promise<boolean>;
}

/** No codes exist: what a store without discounts answers. */
export const NO_DISCOUNT_CODES: DiscountCodeReader = { states: async () => new Map() };
export const NO_DISCOUNT_USAGE: DiscountUsage = { states: async () => new Map(), claim: async () => false };
