import { Cart, CartLine } from './cart';
import { CartLimits } from './cart-limits';
import { CartWarning } from './cart-pricing';

export const MERGE_STRATEGIES = ['sum', 'max', 'keep_target', 'replace'] as const;
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

/**
 * Moves the source cart's lines into the target, by `strategy`, never past a
 * limit and never silently: a quantity over the maximum is set to it
 * (QUANTITY_LIMITED); a line that would pass the line limit stays in the
 * source (CART_FULL), and so does one of a product the shop no longer sells
 * (PRODUCT_UNAVAILABLE: `reprice` answers null). The source keeps only those
 * lines; the source's name and price win. An empty source changes nothing.
 */
export function mergeCarts(
  target: Cart,
  source: Cart,
  strategy: MergeStrategy,
  limits: CartLimits,
  reprice: (line: CartLine) => CartLine | null = (line) => line,
): CartWarning[] {
  if (source.isEmpty) return [];
  const warnings: CartWarning[] = [];
  if (strategy === 'replace') target.clear();
  for (const stored of source.items) {
    const incoming = reprice(stored);
    if (!incoming) {
      warnings.push({ code: 'PRODUCT_UNAVAILABLE', productId: stored.productId });
      continue;
    }
    const existing = target.line(incoming.productId);
    if (existing && strategy === 'keep_target') {
      source.removeItem(incoming.productId);
      continue;
    }
    if (!existing && target.lineCount >= limits.maxItems) {
      warnings.push({ code: 'CART_FULL', productId: incoming.productId });
      continue;
    }
    const requested = requestedQuantity(strategy, existing, incoming);
    const quantity = Math.min(requested, limits.maxQuantityPerItem);
    if (quantity < requested) {
      warnings.push({ code: 'QUANTITY_LIMITED', productId: incoming.productId, requested, quantity });
    }
    target.putLine({ ...incoming, quantity }, limits);
    source.removeItem(incoming.productId);
  }
  warnings.push(...moveDiscountCodes(target, source));
  target.record({ type: 'cart.merged', sourceCustomerId: source.customerId, strategy });
  source.record({ type: 'cart.cleared', reason: 'merged', remaining: source.items });
  return warnings;
}

function requestedQuantity(strategy: MergeStrategy, existing: CartLine | undefined, incoming: CartLine): number {
  const held = existing?.quantity ?? 0;
  if (strategy === 'sum') return held + incoming.quantity;
  if (strategy === 'max') return Math.max(held, incoming.quantity);
  return incoming.quantity;
}

/** The source's codes join the target where it has none of their type; the others are dropped, with a warning. */
function moveDiscountCodes(target: Cart, source: Cart): CartWarning[] {
  const warnings: CartWarning[] = [];
  for (const code of source.discountCodes) {
    source.removeDiscountCode(code.code);
    const held = target.discountCodes;
    if (held.some((mine) => mine.code === code.code)) continue;
    if (held.some((mine) => mine.type === code.type)) {
      warnings.push({ code: 'DISCOUNT_CODE_DROPPED', discountCode: code.code });
      continue;
    }
    target.addDiscountCode(code);
  }
  return warnings;
}
