import { Cents } from './money';

/** A product as the shop's catalog describes it: one the shop sells, or one it does not. */
export type CatalogProduct = SoldProduct | UnsoldProduct;

export interface SoldProduct {
  readonly productId: string;
  readonly name: string;
  readonly unitPrice: Cents;
  readonly active: true;
}

/**
 * A product the shop does not sell: inactive, priced in another currency, or
 * described in a way this service cannot use (then it has no name or price).
 */
export interface UnsoldProduct {
  readonly productId: string;
  readonly name?: string;
  readonly unitPrice?: Cents;
  readonly active: false;
}

/**
 * Where names and prices come from in catalog mode. `lookup` answers the
 * products it knows (an id missing from the answer is unknown to the catalog);
 * `fresh` bypasses any cache (checkout always asks the catalog itself). It
 * throws CatalogUnavailableError when the catalog cannot answer correctly.
 */
export interface PriceSource {
  lookup(productIds: readonly string[], options: { readonly fresh: boolean }): Promise<Map<string, CatalogProduct>>;
}
