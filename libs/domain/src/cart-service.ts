import { Cart, CartSnapshot, subtotalOf } from './cart';
import { CartLimits } from './cart-limits';
import { CartWarning, clientPrices, ItemToAdd, LinePricer, MovingLines } from './cart-pricing';
import { CartRepository } from './cart-repository';
import { CartEmptyError, MergeIntoItselfError } from './errors';
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
  ) {}

  /** What checkout would charge for the cart as stored (no catalog call): the same math, to the cent. */
  async quote(customerId: string, destination: Destination): Promise<CartQuote> {
    const where = resolveDestination(this.rules, destination);
    const cart = await this.getCart(customerId);
    if (cart.lines.length === 0) throw new CartEmptyError();
    return { ...priceBreakdown(subtotalOf(cart.lines), this.rules, where), cartVersion: cart.version };
  }

  async getCart(customerId: string): Promise<CartSnapshot> {
    return this.expiry.asRead((await this.carts.find(customerId)) ?? Cart.empty(customerId).toSnapshot());
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
    return { cart: this.expiry.asRead(target), ...result };
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
    return { cart: this.expiry.asRead(cart), warnings };
  }
}
