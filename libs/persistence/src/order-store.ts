import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { Cart, InvalidCursorError, NewOrder, OrderPage, OrderSnapshot, OrderStore } from '@carthub/domain';
import { loadLines, lockAndBumpCart, pooled, writeChanges } from './cart-sql';
import { translateDatabaseError } from './database-errors';
import { completeKey } from './idempotency-store';
import { insertOrder, selectOrders, toOrder } from './order-sql';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Orders in PostgreSQL; placing one locks the cart exactly as cart writes do, so they never interleave. */
export class PostgresOrderStore implements OrderStore {
  constructor(private readonly orm: MikroORM) {}

  async placeOrder(
    customerId: string,
    build: (cart: Cart) => NewOrder,
    completion?: Parameters<OrderStore['placeOrder']>[2],
  ): Promise<OrderSnapshot> {
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        const db = em.getKysely();
        const locked = await lockAndBumpCart(db, customerId);
        const cart = Cart.restore(await loadLines(db, customerId, locked));
        const order = await insertOrder(db, build(cart));
        await writeChanges(db, locked.id, cart.changes());
        if (completion) await completeKey(db, customerId, completion.request, completion.respond(order));
        return order;
      });
    } catch (error) {
      return translateDatabaseError(error);
    }
  }

  async findById(orderId: string): Promise<OrderSnapshot | undefined> {
    // Anything that is not a UUID names no order; asking PostgreSQL would only fail the cast.
    if (!UUID.test(orderId)) return undefined;
    const page = sql`select id from orders where order_id = ${orderId}::uuid`;
    const [row] = await selectOrders(pooled(this.orm), page).catch(translateDatabaseError);
    return row && toOrder(row);
  }

  async listByCustomer(customerId: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<OrderPage> {
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    const page = sql`
      select id from orders
       where customer_id = ${customerId} ${before === undefined ? sql`` : sql`and id < ${before}`}
       order by id desc limit ${limit + 1}`;
    const rows = await selectOrders(pooled(this.orm), page).catch(translateDatabaseError);
    const hasMore = rows.length > limit;
    const shown = rows.slice(0, limit);
    return {
      orders: shown.map(toOrder),
      nextCursor: hasMore ? encodeCursor(shown[shown.length - 1].id) : undefined,
    };
  }
}

// The cursor is the last row's key; ids only grow, so orders placed meanwhile land before it, never inside a later page.
function encodeCursor(id: number): string {
  return Buffer.from(`o:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^o:([1-9]\d{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError();
  return Number(match[1]);
}
