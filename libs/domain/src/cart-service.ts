import { Cart, CartSnapshot, subtotalOf } from './cart';
import { CartLimits } from './cart-limits';
import { CartWarning, clientPrices, ItemToAdd, LinePricer } from './cart-pricing';
import { CartRepository } from './cart-repository';
import { CartEmptyError } from './errors';
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

/** The cart use cases: each loads, applies one rule of the aggregate, and saves. */
export class CartService {
  constructor(
    private readonly carts: CartRepository,
    private readonly limits: CartLimits,
    private readonly pricer: LinePricer = clientPrices,
    private readonly rules: PricingRules = NO_PRICING_RULES,
  ) {}

  /** What checkout would charge for the cart as stored (no catalog call): the same math, to the cent. */
  async quote(customerId: string, destination: Destination): Promise<CartQuote> {
    const cart = await this.getCart(customerId);
    if (cart.lines.length === 0) throw new CartEmptyError();
    return { ...priceBreakdown(subtotalOf(cart.lines), this.rules, destination), cartVersion: cart.version };
  }

  async getCart(customerId: string): Promise<CartSnapshot> {
    return (await this.carts.find(customerId)) ?? Cart.empty(customerId).toSnapshot();
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

  private async change(
    command: CartCommand,
    apply: (cart: Cart) => void,
    warnings: readonly CartWarning[] = [],
  ): Promise<CartChange> {
    const cart = await this.carts.update(command.customerId, (cart) => {
      cart.expectVersion(command.expectedVersion);
      apply(cart);
    });
    return { cart, warnings };
  }
}
