import { CartLimits } from './cart-limits';
import type { CartEvent, ClearReason } from './events';
import {
  CartLimitExceededError,
  DiscountCodeConflictError,
  DiscountCodeNotOnCartError,
  InvalidCartLineError,
  ItemNotFoundError,
  VersionMismatchError,
} from './errors';
import type { CartDiscountCode } from './discounts/discount-code';
import type { CartDiscounts } from './discounts/discounted-cart';
import { Cents, MAX_UNIT_PRICE_CENTS, sum } from './money';

export interface CartLine {
  readonly productId: string;
  readonly productName: string;
  readonly unitPrice: Cents;
  readonly quantity: number;
}

export interface CartSnapshot {
  readonly customerId: string;
  readonly lines: readonly CartLine[];
  readonly version: number;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  /** When the cart ends (set by the use cases from their expiry rule); null for an absent or empty cart. */
  readonly expiresAt?: Date | null;
  /** The discount codes on the cart, in the order applied (absent: none). */
  readonly discountCodes?: readonly CartDiscountCode[];
  /** What the codes do to the cart now: set by the use cases when they answer (absent: no codes). */
  readonly discounts?: CartDiscounts;
}

/** What a mutation changed, so a repository can write exactly that. */
export interface CartChanges {
  readonly cleared: boolean;
  readonly upserted: readonly CartLine[];
  readonly removed: readonly string[];
  /** The cart's codes after the change, when the change moved them. */
  readonly discountCodes?: readonly CartDiscountCode[];
}

export function lineSubtotal(line: CartLine): Cents {
  return line.unitPrice * line.quantity;
}

export function totalQuantity(lines: readonly CartLine[]): number {
  return sum(lines.map((line) => line.quantity));
}

export function subtotalOf(lines: readonly CartLine[]): Cents {
  return sum(lines.map(lineSubtotal));
}

/**
 * The cart aggregate. Lines keep the order in which products were first
 * added; every rule about quantities, prices and limits is checked here, so
 * no caller can store a line the rules forbid.
 */
export class Cart {
  private readonly lines: Map<string, CartLine>;
  private cleared = false;
  /** The stored lines are past their expiry: the cart holds none, and a change must delete them. */
  private expiredLinesStored = false;
  private recorded?: CartEvent;
  private readonly touched = new Set<string>();
  private codes: CartDiscountCode[];
  private codesChanged = false;

  private constructor(private readonly snapshot: CartSnapshot) {
    this.lines = new Map(snapshot.lines.map((line) => [line.productId, line]));
    this.codes = [...(snapshot.discountCodes ?? [])];
  }

  static empty(customerId: string): Cart {
    return new Cart({ customerId, lines: [], version: 0, createdAt: null, updatedAt: null });
  }

  static restore(snapshot: CartSnapshot): Cart {
    return new Cart(snapshot);
  }

  get customerId(): string {
    return this.snapshot.customerId;
  }

  get version(): number {
    return this.snapshot.version;
  }

  get items(): readonly CartLine[] {
    return [...this.lines.values()];
  }

  get totalItems(): number {
    return totalQuantity(this.items);
  }

  get subtotal(): Cents {
    return subtotalOf(this.items);
  }

  get isEmpty(): boolean {
    return this.lines.size === 0;
  }

  get lineCount(): number {
    return this.lines.size;
  }

  get discountCodes(): readonly CartDiscountCode[] {
    return [...this.codes];
  }

  /**
   * Puts a code on the cart: one already there changes nothing; at most one
   * code of each type (a second is a conflict, naming the one there).
   */
  addDiscountCode(code: CartDiscountCode): void {
    if (this.codes.some((held) => held.code === code.code)) return;
    const sameType = this.codes.find((held) => held.type === code.type);
    if (sameType) throw new DiscountCodeConflictError(sameType.code);
    this.codes.push(code);
    this.codesChanged = true;
    this.recorded = { type: 'cart.discount_code_added', code: code.code };
  }

  removeDiscountCode(code: string): void {
    if (!this.codes.some((held) => held.code === code)) throw new DiscountCodeNotOnCartError(code);
    this.codes = this.codes.filter((held) => held.code !== code);
    this.codesChanged = true;
    this.recorded = { type: 'cart.discount_code_removed', code };
  }

  line(productId: string): CartLine | undefined {
    return this.lines.get(productId);
  }

  /**
   * Forgets the lines of a cart past its expiry: it now holds none, which in
   * itself changes nothing (no version moves); the next change that does
   * change it also deletes the stored lines.
   */
  forgetExpired(expiry: { isExpired(cart: CartSnapshot): boolean }): void {
    if (this.isEmpty || !expiry.isExpired(this.toSnapshot())) return;
    this.lines.clear();
    this.touched.clear();
    this.expiredLinesStored = true;
  }

  /** An `If-Match` precondition: the caller saw this version and means to change it. */
  expectVersion(expected: number | undefined): void {
    if (expected !== undefined && expected !== this.version) {
      throw new VersionMismatchError(expected, this.version);
    }
  }

  /** Adds to the line's quantity when the product is already there, taking the new name and price. */
  addItem(item: CartLine, limits: CartLimits): void {
    const existing = this.admit(item, limits);
    this.setLine({ ...item, quantity: (existing?.quantity ?? 0) + item.quantity }, limits);
    this.recordLine('cart.item_added', item.productId);
  }

  /** Puts exactly this line (name, price, quantity) where it stands, or at the end when it is new. */
  putLine(line: CartLine, limits: CartLimits): void {
    const existing = this.admit(line, limits);
    if (existing && sameLine(existing, line)) return;
    this.setLine(line, limits);
  }

  /** Takes the catalog's current price and name for a line (its quantity and place stay). */
  reprice(productId: string, unitPrice: Cents, productName: string): void {
    requireUnitPrice(unitPrice);
    const line = this.requireLine(productId);
    this.lines.set(productId, { ...line, unitPrice, productName });
    this.touched.add(productId);
    this.recordLine('cart.item_updated', productId);
  }

  /** Sets a line's quantity; zero removes the line. */
  updateQuantity(productId: string, quantity: number, limits: CartLimits): void {
    requireQuantity(quantity, 0);
    const existing = this.requireLine(productId);
    if (quantity === 0) {
      this.removeItem(productId);
      return;
    }
    this.setLine({ ...existing, quantity }, limits);
    this.recordLine('cart.item_updated', productId);
  }

  removeItem(productId: string): void {
    this.requireLine(productId);
    this.lines.delete(productId);
    this.touched.add(productId);
    this.recorded = { type: 'cart.item_removed', productId, line: null };
  }

  /** Empties the cart; an empty cart (stored or not) does not change, so its version stays. */
  clear(reason: ClearReason = 'cleared'): void {
    if (this.isEmpty && this.codes.length === 0) return;
    this.lines.clear();
    this.touched.clear();
    this.dropCodes();
    this.cleared = true;
    this.recorded = { type: 'cart.cleared', reason, remaining: [] };
  }

  /** Empties a cart the sweep found past its expiry, lines read or not: all its stored lines go, as `cart.expired`. */
  expire(): void {
    this.lines.clear();
    this.touched.clear();
    this.dropCodes();
    this.cleared = true;
    this.recorded = { type: 'cart.expired' };
  }

  /** Names the change as a whole when it is more than one step (a merge), replacing what the steps recorded. */
  record(event: CartEvent): void {
    this.recorded = event;
  }

  /** The one event this change produces, or undefined when nothing changed. */
  get event(): CartEvent | undefined {
    return this.hasChanges ? this.recorded : undefined;
  }

  get hasChanges(): boolean {
    return this.cleared || this.touched.size > 0 || this.codesChanged;
  }

  changes(): CartChanges {
    const touched = [...this.touched];
    return {
      cleared: this.cleared || this.expiredLinesStored,
      upserted: touched.flatMap((id) => this.lines.get(id) ?? []),
      removed: touched.filter((id) => !this.lines.has(id)),
      ...(this.codesChanged ? { discountCodes: this.discountCodes } : {}),
    };
  }

  toSnapshot(): CartSnapshot {
    const codes = this.codes.length > 0 || this.snapshot.discountCodes ? { discountCodes: this.discountCodes } : {};
    return { ...this.snapshot, lines: this.items, ...codes };
  }

  private dropCodes(): void {
    if (this.codes.length === 0) return;
    this.codes = [];
    this.codesChanged = true;
  }

  /** Refuses a line no cart may hold, or a new one past the line limit; answers the line it would change. */
  private admit(line: CartLine, limits: CartLimits): CartLine | undefined {
    requireQuantity(line.quantity, 1);
    requireUnitPrice(line.unitPrice);
    const existing = this.lines.get(line.productId);
    if (!existing && this.lines.size >= limits.maxItems) {
      throw new CartLimitExceededError(`A cart holds at most ${limits.maxItems} different products`);
    }
    return existing;
  }

  private recordLine(type: 'cart.item_added' | 'cart.item_updated', productId: string): void {
    const line = this.lines.get(productId);
    if (line) this.recorded = { type, productId, line };
  }

  private requireLine(productId: string): CartLine {
    const line = this.lines.get(productId);
    if (!line) throw new ItemNotFoundError(productId);
    return line;
  }

  private setLine(line: CartLine, limits: CartLimits): void {
    if (line.quantity > limits.maxQuantityPerItem) {
      throw new CartLimitExceededError(
        `A line holds at most ${limits.maxQuantityPerItem} of a product; this would make ${line.quantity}`,
      );
    }
    this.lines.set(line.productId, line);
    this.touched.add(line.productId);
  }
}

function sameLine(a: CartLine, b: CartLine): boolean {
  return a.productName === b.productName && a.unitPrice === b.unitPrice && a.quantity === b.quantity;
}

// Safe integers only: beyond 2^53 a count or a sum of cents is no longer exact.
function requireQuantity(quantity: number, min: 0 | 1): void {
  if (!Number.isSafeInteger(quantity) || quantity < min) {
    throw new InvalidCartLineError('quantity', `must be a whole number of at least ${min}`);
  }
}

function requireUnitPrice(unitPrice: Cents): void {
  if (!Number.isSafeInteger(unitPrice) || unitPrice < 1 || unitPrice > MAX_UNIT_PRICE_CENTS) {
    throw new InvalidCartLineError('price', `must be a whole number of cents from 1 to ${MAX_UNIT_PRICE_CENTS}`);
  }
}
