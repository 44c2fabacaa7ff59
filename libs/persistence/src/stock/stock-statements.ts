import { CompiledQuery } from 'kysely';
import { StockChangeReason, StockReservation, StockShortage, StockShortageError, TrackedStock } from '@carthub/domain';
import { Db, epochMsText } from '../connection/sql-plumbing';
import { NewEvent } from '../outbox/outbox-writer';

/*
 * The only statements that change stock. Every change is one conditional
 * statement on the product's row (never read, compute, write): the row lock it
 * takes orders concurrent changes, and the CHECK (0 <= reserved <= on_hand)
 * is the last word. A transaction that changes several products' rows locks
 * them in product id order, so two such transactions queue instead of
 * deadlocking.
 */

/** A stock row as every statement answers it (bigints as float8: exact far past any count we allow). */
export const STOCK_COLUMNS = `stock.product_id, stock.on_hand::float8 as on_hand, stock.reserved::float8 as reserved,
  stock.version, ${epochMsText('stock.updated_at')} as updated_ms`;

export interface StockRow {
  product_id: string;
  on_hand: number;
  reserved: number;
  version: number;
  updated_ms: number;
}

export const toTrackedStock = (row: StockRow): TrackedStock => ({
  productId: row.product_id,
  tracked: true,
  onHand: row.on_hand,
  reserved: row.reserved,
  available: row.on_hand - row.reserved,
  version: row.version,
  updatedAt: new Date(row.updated_ms),
});

/** The stock.changed event of a change that left the row as `row`; numbered by its version. */
export function stockOutboxEvent(row: StockRow, reason: StockChangeReason, orderId?: string): NewEvent {
  const untracked = reason === 'untracked';
  return {
    aggregateType: 'stock',
    aggregateId: row.product_id,
    sequence: row.version,
    occurredAt: new Date(row.updated_ms),
    change: {
      type: 'stock.changed',
      productId: row.product_id,
      onHand: row.on_hand,
      reserved: row.reserved,
      available: untracked ? 0 : row.on_hand - row.reserved,
      reason,
      ...(orderId === undefined ? {} : { orderId }),
    },
  };
}

export async function query<R>(db: Db, text: string, parameters: readonly unknown[]): Promise<R[]> {
  const { rows } = await db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
  return rows;
}

/*
 * One product's reservation for one order: the row gains `quantity` reserved
 * only while that many are available, and the reservation is recorded in the
 * same statement. No row: short, or untracked.
 */
const RESERVE = `with moved as (
    update stock set reserved = reserved + $2, version = version + 1, updated_at = now()
     where product_id = $1 and tracked and on_hand - reserved >= $2
    returning ${STOCK_COLUMNS}
  ), recorded as (
    insert into stock_reservations (order_id, product_id, quantity, state)
    select $3::int, moved.product_id, $2, 'reserved' from moved
  )
  select * from moved`;

/** Only after a reservation found no row: whether the product is tracked, and what is left of it. */
const AVAILABLE = `select on_hand::float8 - reserved::float8 as available from stock where product_id = $1 and tracked`;

export interface ReservedStock {
  readonly reservations: StockReservation[];
  readonly events: NewEvent[];
}

/**
 * Reserves every tracked line of a just-inserted order, in the order's
 * transaction, in product id order. Any line short: throws
 * StockShortageError naming every short line, and the caller's transaction
 * rolls back (nothing reserved, no order). Untracked products get no
 * reservation.
 */
export async function reserveStock(
  db: Db,
  order: { readonly rowId: number; readonly orderId: string },
  lines: readonly { readonly productId: string; readonly quantity: number }[],
): Promise<ReservedStock> {
  const reservations: StockReservation[] = [];
  const events: NewEvent[] = [];
  const shortages: StockShortage[] = [];
  for (const line of byProductId(lines)) {
    const [row] = await query<StockRow>(db, RESERVE, [line.productId, line.quantity, order.rowId]);
    if (row) {
      reservations.push({ productId: line.productId, quantity: line.quantity, state: 'reserved' });
      events.push(stockOutboxEvent(row, 'reserved', order.orderId));
      continue;
    }
    const [left] = await query<{ available: number }>(db, AVAILABLE, [line.productId]);
    if (left) shortages.push({ productId: line.productId, requested: line.quantity, available: left.available });
  }
  if (shortages.length > 0) throw new StockShortageError(orderedAs(lines, shortages));
  return { reservations: orderedAs(lines, reservations), events };
}

/** What checkout would find short, read without reserving (to answer OUT_OF_STOCK before TOTAL_CHANGED). */
export async function findShortages(
  db: Db,
  lines: readonly { readonly productId: string; readonly quantity: number }[],
): Promise<StockShortage[]> {
  const rows = await query<{ product_id: string; available: number }>(
    db,
    `select product_id, on_hand::float8 - reserved::float8 as available from stock where product_id = any($1) and tracked`,
    [lines.map((line) => line.productId)],
  );
  const available = new Map(rows.map((row) => [row.product_id, row.available]));
  return lines.flatMap((line) => {
    const left = available.get(line.productId);
    return left !== undefined && left < line.quantity
      ? [{ productId: line.productId, requested: line.quantity, available: left }]
      : [];
  });
}

const byProductId = <T extends { productId: string }>(lines: readonly T[]): T[] =>
  [...lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));

/** `found`, in the order of the order's lines (how a shopper reads them). */
function orderedAs<T extends { productId: string }>(lines: readonly { productId: string }[], found: T[]): T[] {
  const position = new Map(lines.map((line, index) => [line.productId, index]));
  return [...found].sort((a, b) => (position.get(a.productId) ?? 0) - (position.get(b.productId) ?? 0));
}

/** Where an order's open reservations go when it moves: shipped takes the units, anything else gives them back. */
export type ReservationEnd = 'consumed' | 'released';

/** Locks, in product id order, the stock rows the open reservations of these orders (row ids) hold. */
const LOCK_HELD = `select product_id from stock
   where product_id in (select product_id from stock_reservations where order_id = any($1) and state = 'reserved')
   order by product_id for update`;

/*
 * Ends one order's open reservations: each becomes `$2`, and its product's
 * row gives the units back (released) or loses them (consumed: on_hand falls
 * too). The rows are already locked (LOCK_HELD), so this cannot deadlock.
 */
const END_RESERVATIONS = `with ended as (
    update stock_reservations set state = $2::varchar where order_id = $1 and state = 'reserved'
    returning product_id, quantity
  ), moved as (
    update stock set reserved = stock.reserved - ended.quantity,
           on_hand = stock.on_hand - case when $2 = 'consumed' then ended.quantity else 0 end,
           version = stock.version + 1, updated_at = now()
      from ended where stock.product_id = ended.product_id
    returning ${STOCK_COLUMNS}
  )
  select * from moved order by product_id`;

/** Which of these orders (row ids) hold open reservations: a batch ends only theirs. */
const HOLDERS = `select distinct order_id from stock_reservations where order_id = any($1) and state = 'reserved'`;

/**
 * Ends the open reservations of orders that moved (row id and public id), in
 * their transition's transaction: answers the stock.changed events, one per
 * product per order. Products the orders hold nothing of are left alone.
 */
export async function endReservations(
  db: Db,
  orders: readonly { readonly rowId: number; readonly orderId: string }[],
  end: ReservationEnd,
): Promise<NewEvent[]> {
  if (orders.length === 0) return [];
  const held = await query<{ product_id: string }>(db, LOCK_HELD, [orders.map((order) => order.rowId)]);
  if (held.length === 0) return [];
  const holders =
    orders.length === 1
      ? orders
      : await query<{ order_id: number }>(db, HOLDERS, [orders.map((order) => order.rowId)]).then((rows) => {
          const ids = new Set(rows.map((row) => row.order_id));
          return orders.filter((order) => ids.has(order.rowId));
        });
  const events: NewEvent[] = [];
  for (const order of holders) {
    const rows = await query<StockRow>(db, END_RESERVATIONS, [order.rowId, end]);
    events.push(...rows.map((row) => stockOutboxEvent(row, end, order.orderId)));
  }
  return events;
}

/** Releases the open reservations of orders that moved (cancelled, expired, refunded). */
export const releaseStock = (db: Db, orders: readonly { rowId: number; orderId: string }[]) =>
  endReservations(db, orders, 'released');

/** Consumes the open reservations of orders that shipped (fulfilled). */
export const consumeStock = (db: Db, orders: readonly { rowId: number; orderId: string }[]) =>
  endReservations(db, orders, 'consumed');
