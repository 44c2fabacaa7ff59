import { Cart, CartLine, CartSnapshot, subtotalOf } from './cart';
import { CartLimits } from './cart-limits';
import { CartWarning, clientPrices, ItemToAdd, LinePricer } from './cart-pricing';
import { CartRepository } from './cart-repository';
import { CartEmptyError, MergeIntoItselfError } from './errors';
import { CartExpiry } from './cart-expiry';
import { mergeCarts, MergeStrategy } from './cart-merge';
import { Destination, NO_PRICING_RULES, priceBreakdown, PriceBreakdown, PricingRules } from './pricing';

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
    const cart = await this.getCart(customerId);
    if (cart.lines.length === 0) throw new CartEmptyError();
    return { ...priceBreakdown(subtotalOf(cart.lines), this.rules, destination), cartVersion: cart.version };
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
   * first (in catalog mode, by the catalog) before any lock is taken; a line
   * added to the source meanwhile keeps its stored name and price.
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
          const priced = prices.get(line.productId);
          return priced ? { ...line, productName: priced.productName, unitPrice: priced.unitPrice } : line;
        });
        return { warnings, merged: target.hasChanges || source.hasChanges };
      },
    );
    return { cart: this.expiry.asRead(target), ...result };
  }

  private async pricesOf(customerId: string): Promise<Map<string, CartLine>> {
    const found = await this.carts.find(customerId);
    const stored = found && this.expiry.asRead(found);
    const priced = await Promise.all((stored?.lines ?? []).map(async (line) => (await this.pricer.price(line)).line));
    return new Map(priced.map((line) => [line.productId, line]));
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
