import { Cents } from '../money';

export const DISCOUNT_TYPES = ['percentage', 'fixed', 'free_shipping'] as const;
export type DiscountType = (typeof DISCOUNT_TYPES)[number];

/** Why a code on a cart does not apply to it now; it stays on the cart and applies again by itself when it can. */
export const NOT_APPLICABLE_REASONS = [
  'INACTIVE',
  'NOT_STARTED',
  'ENDED',
  'USAGE_LIMIT_REACHED',
  'NO_ELIGIBLE_ITEMS',
  'MIN_SUBTOTAL_NOT_MET',
] as const;
export type NotApplicableReason = (typeof NOT_APPLICABLE_REASONS)[number];

/** 1–40 of A–Z a–z 0–9 _ -; matched case-insensitively, so stored and shown upper case. */
export const DISCOUNT_CODE_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
export const normalizeCode = (code: string): string => code.toUpperCase();

/** A percentage as hundredths of a percent: 12.5 % is 1250, 100 % is 10,000. */
export type BasisPoints = number;
export const FULL_PERCENTAGE: BasisPoints = 10_000;

/** What an operator decides about a code. */
export interface DiscountCodeTerms {
  readonly code: string;
  readonly type: DiscountType;
  /** percentage: basis points; fixed: cents; free_shipping: null. */
  readonly value: number | null;
  readonly minSubtotal: Cents | null;
  /** Only lines of these products are eligible; null: every line. */
  readonly productIds: readonly string[] | null;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly usageLimit: number | null;
  readonly usageLimitPerCustomer: number | null;
  readonly active: boolean;
}

/** A code as stored. */
export interface DiscountCode extends DiscountCodeTerms {
  readonly timesUsed: number;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A code as one customer's cart sees it: the code, and how often this customer's orders used it. */
export interface DiscountCodeState {
  readonly code: DiscountCode;
  readonly usedByCustomer: number;
}

/** What PATCH may change; an absent field stays as it is (null clears ends_at or a limit). */
export interface DiscountCodePatch {
  readonly active?: boolean;
  readonly endsAt?: Date | null;
  readonly usageLimit?: number | null;
  readonly usageLimitPerCustomer?: number | null;
}

/** A code as a cart holds it: its type is kept, so at most one of each type can be enforced by the cart itself. */
export interface CartDiscountCode {
  readonly code: string;
  readonly type: DiscountType;
}

/**
 * Whether a code's own state lets it apply at `now`, apart from the cart's
 * lines: undefined when it does, else the reason. A code unknown to the store
 * (never created) reads as INACTIVE.
 */
export function stateRefusal(state: DiscountCodeState | undefined, now: Date): NotApplicableReason | undefined {
  if (!state || !state.code.active) return 'INACTIVE';
  const { code } = state;
  if (code.startsAt && now < code.startsAt) return 'NOT_STARTED';
  if (code.endsAt && now >= code.endsAt) return 'ENDED';
  if (code.usageLimit !== null && code.timesUsed >= code.usageLimit) return 'USAGE_LIMIT_REACHED';
  if (code.usageLimitPerCustomer !== null && state.usedByCustomer >= code.usageLimitPerCustomer) {
    return 'USAGE_LIMIT_REACHED';
  }
  return undefined;
}

/** Cancelled and expired orders give their codes' uses back; refunded ones keep them. */
export const givesBackDiscountUses = (status: string): boolean => status === 'cancelled' || status === 'expired';
