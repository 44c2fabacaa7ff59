import { Cart, StockShortageError } from '@carthub/domain';
import type { CheckoutStep, PlacedInTransaction } from '../orders/order-store';
import { Db } from '../connection/sql-plumbing';
import { OutboxWriter } from '../outbox/outbox-writer';
import { findShortages, reserveStock } from './stock-statements';

/**
 * STOCK_TRACKING=on: the checkout step that reserves every tracked line of
 * the order in its transaction (one conditional statement per product, in
 * product id order) and writes their stock.changed events there. A short line
 * throws OUT_OF_STOCK carrying the cart as read, and the order, its key, its
 * events and the emptied cart roll back with it.
 */
export function stockReservation(outbox: OutboxWriter): CheckoutStep {
  const reserve = async ({ order, orderRowId, cart, db }: PlacedInTransaction) => {
    try {
      const { reservations, events } = await reserveStock(
        db,
        { rowId: orderRowId, orderId: order.orderId },
        order.lines,
      );
      await outbox.write(db, events);
      return { ...order, reservations };
    } catch (error) {
      throw error instanceof StockShortageError ? new StockShortageError(error.shortages, cart) : error;
    }
  };
  // The contract checks prices, then stock, then expected_total: when the
  // total is refused, a short line answers instead. The levels are only read
  // (nothing is reserved): either answer refuses and nothing is written.
  const beforeTotalRefusal = async (cart: Cart, db: Db) => {
    const shortages = await findShortages(db, cart.items);
    // The total is refused before the cart is emptied: it is as it was read.
    if (shortages.length > 0) throw new StockShortageError(shortages, cart.toSnapshot());
  };
  return Object.assign(reserve, { beforeTotalRefusal });
}
