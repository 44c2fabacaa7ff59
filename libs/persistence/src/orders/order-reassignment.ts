import { sql } from 'kysely';
import { orderReassignedEvent } from '@carthub/domain';
import { Db } from '../connection/sql-plumbing';
import { OutboxWriter } from '../outbox/outbox-writer';
import { selectOrders, toOrder } from './order-sql';

/**
 * Moves every order of `fromId` to `toId` in the caller's transaction: each
 * order's version moves by one, with an `order.reassigned` event naming whom
 * it belonged to. The update locks the rows, so a transition of one of them
 * waits for the commit (and reads it moved). Answers how many moved.
 */
export async function reassignOrders(
  db: Db,
  outbox: OutboxWriter,
  fromId: string,
  toId: string,
  currency: string,
): Promise<number> {
  const moved = await db
    .updateTable('orders')
    .set({ customer_id: toId, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('customer_id', '=', fromId)
    .returning('id')
    .execute();
  if (moved.length === 0) return 0;
  const ids = moved.map((row) => row.id);
  const rows = await selectOrders(db, db.selectFrom('orders').select('id').where('id', 'in', ids));
  const events = rows.reverse().map((row) => {
    const order = toOrder(row, currency);
    return {
      aggregateType: 'order' as const,
      aggregateId: order.orderId,
      sequence: order.version,
      occurredAt: order.updatedAt,
      change: orderReassignedEvent(order, fromId),
    };
  });
  await outbox.write(db, events);
  return moved.length;
}
