import { Cents } from './money';

/** A product as the shop's catalog describes it. */
export interface CatalogProduct {
  readonly productId: string;
  readonly name: string;
  readonly unitPrice: Cents;
  /** False for a product the shop no longer sells. */
  readonly active: boolean;
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
