import { Cart, CartSnapshot, OrderSnapshot, StockShortageError, TotalChangedError } from '@carthub/domain';
import { Db } from '../connection/sql-plumbing';
import { NewEvent } from '../outbox/outbox-writer';
import { findShortages, reserveStock } from './stock-statements';

/**
 * Builds the order from the cart as checkout does, answering a short line
 * (OUT_OF_STOCK) before a changed total: the contract checks prices, then
 * stock, then expected_total. Only when the total is refused are the levels
 * read, without reserving: either answer refuses, and nothing is written.
 */
export async function buildCheckingStockFirst<T>(db: Db, cart: Cart, build: (cart: Cart) => T): Promise<T> {
  try {
    return build(cart);
  } catch (error) {
    if (!(error instanceof TotalChangedError)) throw error;
    // The total is refused before the cart is emptied: it is as it was read.
    const shortages = await findShortages(db, cart.items);
    throw shortages.length > 0 ? new StockShortageError(shortages, cart.toSnapshot()) : error;
  }
}

/**
 * Reserves a just-placed order's lines in its transaction: answers the order
 * with its reservations and the stock.changed events. A short line throws
 * OUT_OF_STOCK carrying `cart` (as it was read: the rollback leaves it so).
 */
export async function reserveForOrder(
  db: Db,
  order: OrderSnapshot,
  cart: CartSnapshot,
): Promise<{ order: OrderSnapshot; events: NewEvent[] }> {
  try {
    const { reservations, events } = await reserveStock(db, order.orderId, order.lines);
    return { order: { ...order, reservations }, events };
  } catch (error) {
    throw error instanceof StockShortageError ? new StockShortageError(error.shortages, cart) : error;
  }
}
