import { Cart } from './cart';
import { PriceChange } from './errors';
import { CatalogProduct } from './price-source';

/** What re-reading the catalog at checkout found. */
export interface Repricing {
  readonly changes: readonly PriceChange[];
  readonly unavailable: readonly string[];
  /** Lines the lookup did not cover (added while it ran): ask the catalog again. */
  readonly unknown: readonly string[];
}

/**
 * Brings the cart's lines to the catalog's current prices and names. Changed
 * prices are changes the shopper must confirm; a changed name is refreshed
 * silently; unknown or inactive products stay in the cart, listed, so the
 * shopper sees and removes them.
 */
export function repriceCart(cart: Cart, catalog: ReadonlyMap<string, CatalogProduct | null>): Repricing {
  const changes: PriceChange[] = [];
  const unavailable: string[] = [];
  const unknown: string[] = [];
  for (const line of cart.items) {
    if (!catalog.has(line.productId)) {
      unknown.push(line.productId);
      continue;
    }
    const product = catalog.get(line.productId);
    if (!product || !product.active) {
      unavailable.push(line.productId);
      continue;
    }
    if (product.unitPrice !== line.unitPrice) {
      changes.push({ productId: line.productId, oldPrice: line.unitPrice, price: product.unitPrice });
    }
    if (product.unitPrice !== line.unitPrice || product.name !== line.productName) {
      cart.reprice(line.productId, product.unitPrice, product.name);
    }
  }
  return { changes, unavailable, unknown };
}
