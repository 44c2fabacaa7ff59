import { Cart, CartSnapshot } from './cart';
import { CartRepository } from './cart-repository';
import { CartService } from './cart-service';
import { DEFAULT_CART_LIMITS } from './cart-limits';
import { VersionMismatchError } from './errors';

/** Keeps snapshots in a map; enough to check what the use cases ask of the port. */
class InMemoryCarts implements CartRepository {
  readonly saved = new Map<string, CartSnapshot>();

  async find(customerId: string) {
    return this.saved.get(customerId);
  }

  async update(customerId: string, mutate: (cart: Cart) => void) {
    const current = this.saved.get(customerId);
    const cart = current ? Cart.restore(current) : Cart.empty(customerId);
    mutate(cart);
    if (!cart.hasChanges) return cart.toSnapshot();
    const next = { ...cart.toSnapshot(), version: cart.version + 1 };
    this.saved.set(customerId, next);
    return next;
  }
}

describe('CartService', () => {
  const item = { productId: 'p1', productName: 'Pen', unitPrice: 150, quantity: 2 };

  it('when a customer has no cart, then getCart answers an empty cart at version 0', async () => {
    const service = new CartService(new InMemoryCarts(), DEFAULT_CART_LIMITS);
    await expect(service.getCart('nobody')).resolves.toEqual({
      customerId: 'nobody',
      lines: [],
      version: 0,
      createdAt: null,
      updatedAt: null,
    });
  });

  it('when every mutation runs, then each bumps the version once', async () => {
    const service = new CartService(new InMemoryCarts(), DEFAULT_CART_LIMITS);
    await service.addItem({ customerId: 'c', item });
    await service.updateQuantity({ customerId: 'c', productId: 'p1', quantity: 5 });
    await service.addItem({ customerId: 'c', item: { ...item, productId: 'p2' } });
    await service.removeItem({ customerId: 'c', productId: 'p2' });
    const cleared = await service.clearCart({ customerId: 'c' });
    expect(cleared).toMatchObject({ version: 5, lines: [] });
  });

  it('when If-Match is stale, then the change is refused and nothing is written', async () => {
    const carts = new InMemoryCarts();
    const service = new CartService(carts, DEFAULT_CART_LIMITS);
    await service.addItem({ customerId: 'c', item });
    await expect(service.clearCart({ customerId: 'c', expectedVersion: 0 })).rejects.toBeInstanceOf(
      VersionMismatchError,
    );
    expect(carts.saved.get('c')).toMatchObject({ version: 1, lines: [expect.objectContaining({ quantity: 2 })] });
  });

  it('when an absent cart is cleared, then nothing is created', async () => {
    const carts = new InMemoryCarts();
    const cart = await new CartService(carts, DEFAULT_CART_LIMITS).clearCart({ customerId: 'c', expectedVersion: 0 });
    expect(cart.version).toBe(0);
    expect(carts.saved.size).toBe(0);
  });
});
