import { Cart, CartSnapshot } from './cart';
import { CartRepository } from './cart-repository';
import { CartService } from './cart-service';
import { DEFAULT_CART_LIMITS } from './cart-limits';
import { catalogPrices } from './cart-pricing';
import { CartExpiry } from './cart-expiry';
import {
  InvalidCartLineError,
  MergeIntoItselfError,
  ProductNotFoundError,
  ProductUnavailableError,
  VersionMismatchError,
} from './errors';
import { CatalogProduct, PriceSource } from './price-source';

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

  async updateBoth<T>(targetId: string, sourceId: string, mutate: (target: Cart, source: Cart) => T) {
    const load = (id: string) => {
      const current = this.saved.get(id);
      return current ? Cart.restore(current) : Cart.empty(id);
    };
    const [target, source] = [load(targetId), load(sourceId)];
    const result = mutate(target, source);
    const save = (cart: Cart) => {
      if (!cart.hasChanges) return cart.toSnapshot();
      const next = { ...cart.toSnapshot(), version: cart.version + 1 };
      this.saved.set(cart.customerId, next);
      return next;
    };
    return { result, target: save(target), source: save(source) };
  }
}

/** A catalog in memory: enough to check how the use cases price lines. */
class FixedCatalog implements PriceSource {
  readonly asked: string[][] = [];
  constructor(private readonly products: CatalogProduct[]) {}
  async lookup(ids: readonly string[]) {
    this.asked.push([...ids]);
    return new Map(this.products.filter((p) => ids.includes(p.productId)).map((p) => [p.productId, p]));
  }
}

describe('CartService with catalog prices', () => {
  const laptop = { productId: 'laptop', name: 'Gaming Laptop', unitPrice: 129_999, active: true };
  const retired = { productId: 'old', name: 'Old thing', unitPrice: 100, active: false };
  const service = (catalog: FixedCatalog, carts = new InMemoryCarts()) =>
    new CartService(carts, DEFAULT_CART_LIMITS, catalogPrices(catalog));

  it("when a client sends another price, then the catalog's is stored and a PRICE_CHANGED warning says both", async () => {
    const change = await service(new FixedCatalog([laptop])).addItem({
      customerId: 'c',
      item: { productId: 'laptop', quantity: 1, productName: 'Cheap', unitPrice: 1 },
    });
    expect(change.cart.lines).toEqual([
      { productId: 'laptop', productName: 'Gaming Laptop', unitPrice: 129_999, quantity: 1 },
    ]);
    expect(change.warnings).toEqual([{ code: 'PRICE_CHANGED', productId: 'laptop', price: 129_999, clientPrice: 1 }]);
  });

  it('when the client sends no name or price, or the same price, then there is no warning', async () => {
    const carts = new CartService(new InMemoryCarts(), DEFAULT_CART_LIMITS, catalogPrices(new FixedCatalog([laptop])));
    expect((await carts.addItem({ customerId: 'c', item: { productId: 'laptop', quantity: 1 } })).warnings).toEqual([]);
    const same = await carts.addItem({
      customerId: 'c',
      item: { productId: 'laptop', quantity: 1, unitPrice: 129_999 },
    });
    expect(same.warnings).toEqual([]);
    expect(same.cart.lines[0].quantity).toBe(2);
  });

  it('when the product is unknown or inactive, then it is refused and nothing is written', async () => {
    const carts = new InMemoryCarts();
    const catalog = new FixedCatalog([retired]);
    await expect(
      service(catalog, carts).addItem({ customerId: 'c', item: { productId: 'nope', quantity: 1 } }),
    ).rejects.toBeInstanceOf(ProductNotFoundError);
    await expect(
      service(catalog, carts).addItem({ customerId: 'c', item: { productId: 'old', quantity: 1 } }),
    ).rejects.toBeInstanceOf(ProductUnavailableError);
    expect(carts.saved.size).toBe(0);
  });

  it('when a quantity changes, then the catalog is not asked again', async () => {
    const catalog = new FixedCatalog([laptop]);
    const carts = service(catalog);
    await carts.addItem({ customerId: 'c', item: { productId: 'laptop', quantity: 1 } });
    await carts.updateQuantity({ customerId: 'c', productId: 'laptop', quantity: 3 });
    expect(catalog.asked).toEqual([['laptop']]);
  });
});

describe('CartService with client prices', () => {
  it('when the name or price is missing, then the line is refused', async () => {
    const carts = new CartService(new InMemoryCarts(), DEFAULT_CART_LIMITS);
    await expect(
      carts.addItem({ customerId: 'c', item: { productId: 'p', quantity: 1, unitPrice: 5 } }),
    ).rejects.toBeInstanceOf(InvalidCartLineError);
    await expect(
      carts.addItem({ customerId: 'c', item: { productId: 'p', quantity: 1, productName: 'P' } }),
    ).rejects.toBeInstanceOf(InvalidCartLineError);
  });
});

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
      expiresAt: null,
    });
  });

  it('when every mutation runs, then each bumps the version once', async () => {
    const service = new CartService(new InMemoryCarts(), DEFAULT_CART_LIMITS);
    await service.addItem({ customerId: 'c', item });
    await service.updateQuantity({ customerId: 'c', productId: 'p1', quantity: 5 });
    await service.addItem({ customerId: 'c', item: { ...item, productId: 'p2' } });
    await service.removeItem({ customerId: 'c', productId: 'p2' });
    const cleared = await service.clearCart({ customerId: 'c' });
    expect(cleared).toMatchObject({ cart: { version: 5, lines: [] }, warnings: [] });
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
    const { cart } = await new CartService(carts, DEFAULT_CART_LIMITS).clearCart({
      customerId: 'c',
      expectedVersion: 0,
    });
    expect(cart.version).toBe(0);
    expect(carts.saved.size).toBe(0);
  });
});

describe('CartService merges', () => {
  const pen = { productId: 'pen', productName: 'Pen', unitPrice: 150, quantity: 2 };

  it('when a cart is merged into itself, then it is refused', async () => {
    const service = new CartService(new InMemoryCarts(), DEFAULT_CART_LIMITS);
    await expect(
      service.mergeCarts({ customerId: 'a', sourceCustomerId: 'a', strategy: 'sum' }),
    ).rejects.toBeInstanceOf(MergeIntoItselfError);
  });

  it("when the catalog's price moved, then the merged line takes it; a repeat merges nothing", async () => {
    const carts = new InMemoryCarts();
    const catalog = new FixedCatalog([{ productId: 'pen', name: 'Better Pen', unitPrice: 175, active: true }]);
    const service = new CartService(carts, DEFAULT_CART_LIMITS, catalogPrices(catalog));
    await new CartService(carts, DEFAULT_CART_LIMITS).addItem({ customerId: 'guest_g', item: pen });

    const merged = await service.mergeCarts({ customerId: 'c', sourceCustomerId: 'guest_g', strategy: 'sum' });
    expect(merged).toMatchObject({ merged: true, warnings: [], cart: { version: 1 } });
    expect(merged.cart.lines).toEqual([{ ...pen, productName: 'Better Pen', unitPrice: 175 }]);
    const repeat = await service.mergeCarts({ customerId: 'c', sourceCustomerId: 'guest_g', strategy: 'sum' });
    expect(repeat).toMatchObject({ merged: false, cart: { version: 1 } });
  });

  it('when a source of many lines is merged, then the catalog is asked once; a product no longer sold stays behind', async () => {
    const carts = new InMemoryCarts();
    const stored = new CartService(carts, DEFAULT_CART_LIMITS);
    const pens = Array.from({ length: 20 }, (_, index) => ({ ...pen, productId: `pen-${index}` }));
    for (const item of pens) await stored.addItem({ customerId: 'guest_many', item });
    const catalog = new FixedCatalog([
      ...pens
        .slice(1)
        .map((line) => ({ productId: line.productId, name: 'Pen', unitPrice: 150, active: true as const })),
      { productId: 'pen-1', active: false },
    ]);

    const merged = await new CartService(carts, DEFAULT_CART_LIMITS, catalogPrices(catalog)).mergeCarts({
      customerId: 'c',
      sourceCustomerId: 'guest_many',
      strategy: 'sum',
    });

    expect(catalog.asked).toEqual([pens.map((line) => line.productId)]);
    expect(merged.warnings).toEqual([
      { code: 'PRODUCT_UNAVAILABLE', productId: 'pen-0' },
      { code: 'PRODUCT_UNAVAILABLE', productId: 'pen-1' },
    ]);
    expect(merged.cart.lines).toHaveLength(18);
    expect((await carts.find('guest_many'))?.lines.map((line) => line.productId)).toEqual(['pen-0', 'pen-1']);
  });

  it('when the source cart is empty, then the catalog is not asked', async () => {
    const catalog = new FixedCatalog([]);
    const service = new CartService(new InMemoryCarts(), DEFAULT_CART_LIMITS, catalogPrices(catalog));

    const merged = await service.mergeCarts({ customerId: 'c', sourceCustomerId: 'guest_none', strategy: 'sum' });

    expect(merged.merged).toBe(false);
    expect(catalog.asked).toEqual([]);
  });

  it('when the source cart has expired, then nothing moves', async () => {
    const carts = new InMemoryCarts();
    carts.saved.set('guest_old', {
      customerId: 'guest_old',
      lines: [pen],
      version: 1,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    });
    const service = new CartService(carts, DEFAULT_CART_LIMITS, undefined, undefined, new CartExpiry());
    const merged = await service.mergeCarts({ customerId: 'c', sourceCustomerId: 'guest_old', strategy: 'max' });
    expect(merged).toMatchObject({ merged: false, cart: { lines: [], version: 0 } });
  });
});
