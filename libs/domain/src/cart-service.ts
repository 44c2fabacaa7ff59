import { Cart, CartSnapshot, subtotalOf } from './cart';
import { CartLimits } from './cart-limits';
import { CartWarning, clientPrices, ItemToAdd, LinePricer, MovingLines } from './cart-pricing';
import { CartRepository } from './cart-repository';
import {
  CartEmptyError,
  DiscountCodeNotApplicableError,
  DiscountCodeNotFoundError,
  MergeIntoItselfError,
} from './errors';
import { discountCart } from './discounts/discounted-cart';
import { normalizeCode, stateRefusal } from './discounts/discount-code';
import { DiscountCodeReader, NO_DISCOUNT_CODES } from './discounts/discount-store';
import { CartExpiry } from './cart-expiry';
import { isGuestId } from './guest';
import { mergeCarts, MergeStrategy } from './cart-merge';
import {
  Destination,
  NO_PRICING_RULES,
  priceBreakdown,
  PriceBreakdown,
  PricingRules,
  resolveDestination,
} from './pricing';

export interface CartCommand {
  readonly customerId: string;
  /** The version the client last saw (`If-Match`); the change is refused when the cart moved on. */
  readonly expectedVersion?: number;
}

export interface CartQuote extends PriceBreakdown {
  readonly cartVersion: number;
}

/** A cart after a change, and what the shopper should be told about it. */
export interface CartChange {
  readonly cart: CartSnapshot;
  readonly warnings: readonly CartWarning[];
}

/** A merge's answer: the target cart, and whether anything moved (a repeat moves nothing). */
export interface CartMerge extends CartChange {
  readonly merged: boolean;
}

/** The cart use cases: each loads, applies one rule of the aggregate, and saves. */
export class CartService {
  constructor(
    private readonly carts: CartRepository,
    private readonly limits: CartLimits,
    private readonly pricer: LinePricer = clientPrices,
    private readonly rules: PricingRules = NO_PRICING_RULES,
    private readonly expiry: CartExpiry = new CartExpiry(),
    private readonly discountCodes: DiscountCodeReader = NO_DISCOUNT_CODES,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** What checkout would charge for the cart as stored (no catalog call): the same math, codes included, to the cent. */
  async quote(customerId: string, destination: Destination): Promise<CartQuote> {
    const where = resolveDestination(this.rules, destination);
    const cart = await this.getCart(customerId);
    if (cart.lines.length === 0) throw new CartEmptyError();
    return { ...priceBreakdown(subtotalOf(cart.lines), this.rules, where, cart.discounts), cartVersion: cart.version };
  }

  async getCart(customerId: string): Promise<CartSnapshot> {
    return this.withDiscounts(
      this.expiry.asRead((await this.carts.find(customerId)) ?? Cart.empty(customerId).toSnapshot()),
    );
  }

  /**
   * Puts a code on the cart. An unknown code, or one that cannot be used now
   * (inactive, not started, ended), is refused and nothing is stored; one
   * that is used up, or does not fit the cart yet, stays there, not applying.
   */
  async addDiscountCode(command: CartCommand & { readonly code: string }): Promise<CartChange> {
    const code = normalizeCode(command.code);
    const state = (await this.discountCodes.states([code], command.customerId)).get(code);
    if (!state) throw new DiscountCodeNotFoundError(code);
    const reason = stateRefusal(state, this.now());
    if (reason && reason !== 'USAGE_LIMIT_REACHED') throw new DiscountCodeNotApplicableError(code, reason);
    return this.change(command, (cart) => cart.addDiscountCode({ code, type: state.code.type }));
  }

  removeDiscountCode(command: CartCommand & { readonly code: string }): Promise<CartChange> {
    return this.change(command, (cart) => cart.removeDiscountCode(normalizeCode(command.code)));
  }

  /** The cart with what its codes do now (read at this moment, so a code deactivated since shows why it stopped). */
  private async withDiscounts(cart: CartSnapshot): Promise<CartSnapshot> {
    const codes = cart.discountCodes ?? [];
    if (codes.length === 0) return cart;
    const states = await this.discountCodes.states(
      codes.map((held) => held.code),
      cart.customerId,
    );
    const discounts = discountCart({
      lines: cart.lines,
      codes,
      states,
      now: this.now(),
      shipping: this.rules.shipping,
    });
    return { ...cart, discounts };
  }

  /** Prices the line first (the catalog is asked before any lock is taken), then adds it. */
  async addItem(command: CartCommand & { readonly item: ItemToAdd }): Promise<CartChange> {
    const { line, warnings } = await this.pricer.price(command.item);
    return this.change(command, (cart) => cart.addItem(line, this.limits), warnings);
  }

  /** Changing a quantity never re-prices the line. */
  updateQuantity(command: CartCommand & { readonly productId: string; readonly quantity: number }) {
    return this.change(command, (cart) => cart.updateQuantity(command.productId, command.quantity, this.limits));
  }

  removeItem(command: CartCommand & { readonly productId: string }): Promise<CartChange> {
    return this.change(command, (cart) => cart.removeItem(command.productId));
  }

  clearCart(command: CartCommand): Promise<CartChange> {
    return this.change(command, (cart) => cart.clear());
  }

  /**
   * Merges the source cart into the target. The source's lines are priced
   * first, together (in catalog mode, by one catalog lookup), before any lock
   * is taken; a line added to the source meanwhile keeps its stored name and
   * price, and a product the catalog no longer sells stays in the source.
   */
  async mergeCarts(command: {
    readonly customerId: string;
    readonly sourceCustomerId: string;
    readonly strategy: MergeStrategy;
  }): Promise<CartMerge> {
    if (command.customerId === command.sourceCustomerId) throw new MergeIntoItselfError();
    const prices = await this.pricesOf(command.sourceCustomerId);
    const { result, target } = await this.carts.updateBoth(
      command.customerId,
      command.sourceCustomerId,
      (target, source) => {
        target.forgetExpired(this.expiry);
        source.forgetExpired(this.expiry);
        const warnings = mergeCarts(target, source, command.strategy, this.limits, (line) => {
          const moving = prices.get(line.productId);
          if (moving === undefined) return line;
          return moving && { ...line, productName: moving.productName, unitPrice: moving.unitPrice };
        });
        return { warnings, merged: target.hasChanges || source.hasChanges };
      },
      // Orders placed as a guest follow the shopper who signs in; a customer's own orders stay theirs.
      { moveOrders: isGuestId(command.sourceCustomerId) },
    );
    return { cart: await this.withDiscounts(this.expiry.asRead(target)), ...result };
  }

  private async pricesOf(customerId: string): Promise<MovingLines> {
    const found = await this.carts.find(customerId);
    return this.pricer.priceMoving(found ? this.expiry.asRead(found).lines : []);
  }

  private async change(
    command: CartCommand,
    apply: (cart: Cart) => void,
    warnings: readonly CartWarning[] = [],
  ): Promise<CartChange> {
    const cart = await this.carts.update(command.customerId, (cart) => {
      cart.forgetExpired(this.expiry);
      cart.expectVersion(command.expectedVersion);
      apply(cart);
    });
    return { cart: await this.withDiscounts(this.expiry.asRead(cart)), warnings };
  }
}
