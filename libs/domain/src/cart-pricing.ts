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
  | { readonly code: 'CART_FULL'; readonly productId: string }
  | { readonly code: 'PRODUCT_UNAVAILABLE'; readonly productId: string }
  | { readonly code: 'DISCOUNT_CODE_DROPPED'; readonly discountCode: string };

export interface PricedLine {
  readonly line: CartLine;
  readonly warnings: readonly CartWarning[];
}

/**
 * Stored lines as they move to another cart, by product id: with the name and
 * price to store, or null for a product the shop no longer sells.
 */
export type MovingLines = ReadonlyMap<string, CartLine | null>;

/** Decides the name and price a new line is stored with. */
export interface LinePricer {
  price(item: ItemToAdd): Promise<PricedLine>;
  /** Prices a merge's source lines together: one catalog lookup at most, whatever their number. */
  priceMoving(lines: readonly CartLine[]): Promise<MovingLines>;
}

/** 2.0.0's rule: the caller's name and price are stored as sent (so any caller can set any price). */
export const clientPrices: LinePricer = {
  async price({ productId, quantity, productName, unitPrice }) {
    if (productName === undefined) throw new InvalidCartLineError('product_name', 'is required');
    if (unitPrice === undefined) throw new InvalidCartLineError('price', 'is required');
    return { line: { productId, quantity, productName, unitPrice }, warnings: [] };
  },
  async priceMoving(lines) {
    return new Map(lines.map((line) => [line.productId, line]));
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
    async priceMoving(lines) {
      if (lines.length === 0) return new Map();
      const products = await catalog.lookup(
        lines.map((line) => line.productId),
        { fresh: false },
      );
      return new Map(
        lines.map((line) => {
          const product = products.get(line.productId);
          const moving = product?.active ? { ...line, productName: product.name, unitPrice: product.unitPrice } : null;
          return [line.productId, moving];
        }),
      );
    },
  };
}
