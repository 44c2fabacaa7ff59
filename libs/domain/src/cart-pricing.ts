import { CartLine } from './cart';
import { InvalidCartLineError, ProductNotFoundError, ProductUnavailableError } from './errors';
import { Cents } from './money';
import { PriceSource } from './price-source';

/** What a shopper asks to add; in catalog mode the name and price are the catalog's, whatever was sent. */
export interface ItemToAdd {
  readonly productId: string;
  readonly quantity: number;
  readonly productName?: string;
  readonly unitPrice?: Cents;
}

/** Something the change did that the shopper should know about, though it succeeded. */
export type CartWarning =
  | { readonly code: 'PRICE_CHANGED'; readonly productId: string; readonly price: Cents; readonly clientPrice: Cents }
  | {
      readonly code: 'QUANTITY_LIMITED';
      readonly productId: string;
      readonly requested: number;
      readonly quantity: number;
    }
  | { readonly code: 'CART_FULL'; readonly productId: string };

export interface PricedLine {
  readonly line: CartLine;
  readonly warnings: readonly CartWarning[];
}

/** Decides the name and price a new line is stored with. */
export interface LinePricer {
  price(item: ItemToAdd): Promise<PricedLine>;
}

/** 2.0.0's rule: the caller's name and price are stored as sent (so any caller can set any price). */
export const clientPrices: LinePricer = {
  async price({ productId, quantity, productName, unitPrice }) {
    if (productName === undefined) throw new InvalidCartLineError('product_name', 'is required');
    if (unitPrice === undefined) throw new InvalidCartLineError('price', 'is required');
    return { line: { productId, quantity, productName, unitPrice }, warnings: [] };
  },
};

/** The catalog is the only source of names and prices; a different client price is stored as the catalog's, with a warning. */
export function catalogPrices(catalog: PriceSource): LinePricer {
  return {
    async price({ productId, quantity, unitPrice: clientPrice }) {
      const product = (await catalog.lookup([productId], { fresh: false })).get(productId);
      if (!product) throw new ProductNotFoundError(productId);
      if (!product.active) throw new ProductUnavailableError(productId);
      const line = { productId, quantity, productName: product.name, unitPrice: product.unitPrice };
      const changed = clientPrice !== undefined && clientPrice !== product.unitPrice;
      return {
        line,
        warnings: changed ? [{ code: 'PRICE_CHANGED', productId, price: product.unitPrice, clientPrice }] : [],
      };
    },
  };
}
