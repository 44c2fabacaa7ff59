import { OrderSnapshot, OrderState } from '@carthub/domain';
import { Db } from '../connection/sql-plumbing';
import { NewEvent } from '../outbox/outbox-writer';
import { endReservations, ReservationEnd } from './stock-statements';

/** What entering a state does to an order's open reservations: shipping takes the units, giving up gives them back. */
const RESERVATION_END: Partial<Record<OrderState, ReservationEnd>> = {
  fulfilled: 'consumed',
  cancelled: 'released',
  expired: 'released',
  refunded: 'released',
};

export interface MovedOrder {
  /** The order's row key. */
  readonly rowId: number;
  /** The order after its transition (its reservations as they were before it). */
  readonly order: OrderSnapshot;
}

/**
 * Moves the stock of orders that have just entered the same state, in their
 * transition's transaction: answers the orders with their reservations'
 * new state, and the stock.changed events to write beside theirs.
 */
export async function moveStock(
  db: Db,
  moved: readonly MovedOrder[],
): Promise<{ orders: OrderSnapshot[]; events: NewEvent[] }> {
  const orders = moved.map((entry) => entry.order);
  const end = orders.length > 0 ? RESERVATION_END[orders[0].status] : undefined;
  if (!end) return { orders, events: [] };
  const events = await endReservations(
    db,
    moved.map(({ rowId, order }) => ({ rowId, orderId: order.orderId })),
    end,
  );
  const ended = orders.map((order) => ({
    ...order,
    reservations: order.reservations?.map((r) => (r.state === 'reserved' ? { ...r, state: end } : r)),
  }));
  return { orders: ended, events };
}
