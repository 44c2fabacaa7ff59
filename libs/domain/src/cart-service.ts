import { Cart, CartLine, CartSnapshot } from './cart';
import { CartLimits } from './cart-limits';
import { CartRepository } from './cart-repository';

export interface CartCommand {
  readonly customerId: string;
  /** The version the client last saw (`If-Match`); the change is refused when the cart moved on. */
  readonly expectedVersion?: number;
}

/** The cart use cases: each loads, applies one rule of the aggregate, and saves. */
export class CartService {
  constructor(
    private readonly carts: CartRepository,
    private readonly limits: CartLimits,
  ) {}

  async getCart(customerId: string): Promise<CartSnapshot> {
    return (await this.carts.find(customerId)) ?? Cart.empty(customerId).toSnapshot();
  }

  addItem(command: CartCommand & { readonly item: CartLine }): Promise<CartSnapshot> {
    return this.change(command, (cart) => cart.addItem(command.item, this.limits));
  }

  updateQuantity(command: CartCommand & { readonly productId: string; readonly quantity: number }) {
    return this.change(command, (cart) => cart.updateQuantity(command.productId, command.quantity, this.limits));
  }

  removeItem(command: CartCommand & { readonly productId: string }): Promise<CartSnapshot> {
    return this.change(command, (cart) => cart.removeItem(command.productId));
  }

  clearCart(command: CartCommand): Promise<CartSnapshot> {
    return this.change(command, (cart) => cart.clear());
  }

  private change(command: CartCommand, apply: (cart: Cart) => void): Promise<CartSnapshot> {
    return this.carts.update(command.customerId, (cart) => {
      cart.expectVersion(command.expectedVersion);
      apply(cart);
    });
  }
}
