import { Availability, StockRecord, StockShortage } from '@carthub/domain';

/** The contract's Stock, or `{product_id, tracked: false}` for an untracked product. */
export function stockRepresentation(stock: StockRecord) {
  if (!stock.tracked) return { product_id: stock.productId, tracked: false };
  return {
    product_id: stock.productId,
    tracked: true,
    on_hand: stock.onHand,
    reserved: stock.reserved,
    available: stock.available,
    version: stock.version,
    updated_at: stock.updatedAt.toISOString(),
  };
}

export const availabilityRepresentation = (entry: Availability) => ({
  product_id: entry.productId,
  tracked: entry.tracked,
  available: entry.available,
});

export const shortageRepresentation = (shortage: StockShortage) => ({
  product_id: shortage.productId,
  requested: shortage.requested,
  available: shortage.available,
});
