import { CartLine, lineSubtotal, subtotalOf } from '../cart';
import { Cents, sum } from '../money';
import { applyRate, shippingFor, ShippingRule } from '../pricing';
import {
  CartDiscountCode,
  DiscountCodeState,
  DiscountType,
  FULL_PERCENTAGE,
  NotApplicableReason,
  stateRefusal,
} from './discount-code';
import { shareByLargestRemainder } from './largest-remainder';

/** One code of a cart as the shopper sees it. */
export interface CodeOnCart {
  readonly code: string;
  readonly type: DiscountType;
  readonly applicable: boolean;
  /** Null when it applies. */
  readonly reason: NotApplicableReason | null;
  /** What it takes off (free_shipping: the shipping it saves); 0 when it does not apply. */
  readonly amount: Cents;
}

/** What a cart's codes do to its money, all in cents. */
export interface CartDiscounts {
  /** In the order applied to the cart. */
  readonly codes: readonly CodeOnCart[];
  /** Each line's share of `discount`, in the order of the lines. */
  readonly lineDiscounts: readonly Cents[];
  /** The sum of the applicable percentage and fixed amounts: what comes off the lines. */
  readonly discount: Cents;
  /** An applicable free_shipping code makes shipping 0. */
  readonly freeShipping: boolean;
}

export const NO_DISCOUNTS: CartDiscounts = { codes: [], lineDiscounts: [], discount: 0, freeShipping: false };

export interface DiscountInput {
  readonly lines: readonly CartLine[];
  /** The codes on the cart, in the order applied. */
  readonly codes: readonly CartDiscountCode[];
  /** Each code's state for this customer, by code; a code missing here reads as INACTIVE. */
  readonly states: ReadonlyMap<string, DiscountCodeState>;
  readonly now: Date;
  readonly shipping?: ShippingRule;
  /** Codes checkout could not count a use of: used up at that moment. */
  readonly exhausted?: ReadonlySet<string>;
}

// Percentages first, then fixed amounts on what is left, then the shipping the rest leaves.
const TYPE_ORDER: Record<DiscountType, number> = { percentage: 0, fixed: 1, free_shipping: 2 };

/**
 * What the codes on a cart take off, to the cent: one rounding per code
 * (half up), each code's amount shared over its eligible lines by the
 * largest-remainder rule, in proportion to what earlier codes left of each
 * line (the lines' subtotals, for the first), so the shares add up to the
 * amount and no line's discount passes its subtotal.
 */
export function discountCart({ lines, codes, states, now, shipping, exhausted }: DiscountInput): CartDiscounts {
  if (codes.length === 0) return { ...NO_DISCOUNTS, lineDiscounts: lines.map(() => 0) };
  const subtotal = subtotalOf(lines);
  const left = lines.map(lineSubtotal);
  const lineDiscounts = lines.map(() => 0);
  const answers = new Map<CartDiscountCode, CodeOnCart>();
  let freeShipping: CartDiscountCode | undefined;
  const ordered = [...codes].sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type]);
  for (const onCart of ordered) {
    const state = states.get(onCart.code);
    const eligible = lines.map((line) => !state?.code.productIds || state.code.productIds.includes(line.productId));
    const reason =
      stateRefusal(state, now) ??
      (exhausted?.has(onCart.code) ? 'USAGE_LIMIT_REACHED' : undefined) ??
      cartRefusal(state?.code.minSubtotal ?? null, subtotal, eligible);
    if (reason || !state) {
      answers.set(onCart, { ...onCart, applicable: false, reason: reason ?? 'INACTIVE', amount: 0 });
      continue;
    }
    if (onCart.type === 'free_shipping') {
      freeShipping = onCart;
      continue;
    }
    const weights = left.map((cents, index) => (eligible[index] ? cents : 0));
    const amount = codeAmount(onCart.type, state.code.value ?? 0, sum(weights));
    shareByLargestRemainder(amount, weights).forEach((share, index) => {
      lineDiscounts[index] += share;
      left[index] -= share;
    });
    answers.set(onCart, { ...onCart, applicable: true, reason: null, amount });
  }
  const discount = sum(lineDiscounts);
  if (freeShipping) {
    const saved = shippingFor(subtotal - discount, shipping);
    answers.set(freeShipping, { ...freeShipping, applicable: true, reason: null, amount: saved });
  }
  return {
    codes: codes.map((code) => answers.get(code) as CodeOnCart),
    lineDiscounts,
    discount,
    freeShipping: freeShipping !== undefined,
  };
}

function cartRefusal(minSubtotal: Cents | null, subtotal: Cents, eligible: readonly boolean[]) {
  if (!eligible.includes(true)) return 'NO_ELIGIBLE_ITEMS';
  if (minSubtotal !== null && subtotal < minSubtotal) return 'MIN_SUBTOTAL_NOT_MET';
  return undefined;
}

/** A percentage of what its lines have left, rounded half up once; a fixed amount, at most what they have left. */
function codeAmount(type: 'percentage' | 'fixed', value: number, base: Cents): Cents {
  if (type === 'percentage') return applyRate(base, { numerator: BigInt(value), denominator: BigInt(FULL_PERCENTAGE) });
  return Math.min(value, base);
}

/** The codes that apply, with their amounts: what an order keeps. */
export const appliedCodes = (discounts: CartDiscounts): CodeOnCart[] =>
  discounts.codes.filter((code) => code.applicable);
