import { CartSnapshot } from './cart';
import { isGuestId } from './guest';

export interface CartTtls {
  /** How long a customer's cart lives after its last change. */
  readonly customerTtlSeconds: number;
  /** How long a guest's cart lives after its last change. */
  readonly guestTtlSeconds: number;
}

export const DEFAULT_CART_TTLS: CartTtls = { customerTtlSeconds: 2_592_000, guestTtlSeconds: 604_800 };

/**
 * When carts end: `updatedAt` + the TTL for the kind of customer. A cart past
 * its end reads as empty (its version unchanged) and the next change starts
 * from empty. The clock is injected so the rule stays pure.
 */
export class CartExpiry {
  constructor(
    readonly ttls: CartTtls = DEFAULT_CART_TTLS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  ttlSecondsFor(customerId: string): number {
    return isGuestId(customerId) ? this.ttls.guestTtlSeconds : this.ttls.customerTtlSeconds;
  }

  /** When the cart ends; null for an absent or empty cart, which has nothing to lose. */
  expiresAt(cart: CartSnapshot): Date | null {
    if (cart.lines.length === 0 || !cart.updatedAt) return null;
    return new Date(cart.updatedAt.getTime() + this.ttlSecondsFor(cart.customerId) * 1000);
  }

  isExpired(cart: CartSnapshot): boolean {
    const end = this.expiresAt(cart);
    return end !== null && end.getTime() <= this.now().getTime();
  }

  /** The cart as a reader sees it now: an expired one has no lines; with its expiry filled in. */
  asRead(cart: CartSnapshot): CartSnapshot {
    const current = this.isExpired(cart) ? { ...cart, lines: [] } : cart;
    return { ...current, expiresAt: this.expiresAt(current) };
  }
}
