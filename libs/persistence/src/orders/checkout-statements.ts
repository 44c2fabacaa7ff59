import type { PoolClient } from 'pg';
import {
  Cart,
  CartSnapshot,
  centsToDecimalText,
  CheckoutDiscounts,
  DiscountCodeState,
  IdempotentRequest,
  OrderSnapshot,
} from '@carthub/domain';
import {
  Alongside,
  lockAndReadCartWith,
  lockedCartWith,
  NamedStatement,
  StatementParam,
  writeCartWith,
} from '../cart/cart-statements';
import { epochMsText, ISO_MS_PATTERN } from '../connection/sql-plumbing';
import { insertOutboxRows, orderOutboxEvent, OutboxRow, OutboxWriter } from '../outbox/outbox-writer';
import { IDEMPOTENCY_TTL, keyIsFree, StoredKey } from './idempotency-keys';
import { storedCode } from './order-sql';
import { DISCOUNT_CODE_COLUMNS, DiscountCodeRow, toDiscountCode } from '../discounts/discount-sql';

/*
 * Checkout's two statements, both named (prepared once per connection), on
 * the cart store's own: the cart read under its row lock together with
 * everything checkout decides on (the key, the quotas, the cart's discount
 * codes as they stand, the transaction's clock), and the cart's one version-guarded write carrying the order, its
 * lines, its key and order.placed beside the emptied cart and cart.cleared.
 */

/** Which per-customer quotas checkout counts (each is read only when it is on). */
export interface CheckoutQuotas {
  /** Most orders one customer may place in any 60 seconds. */
  readonly ordersPerMinute?: number;
  /** Most unexpired keys one customer may hold (each is kept 24 hours). */
  readonly liveKeysPerCustomer?: number;
}

export interface CheckoutRead {
  /** The cart as stored; undefined when there is none (then nothing is locked). */
  readonly cart: CartSnapshot | undefined;
  /** now() of the transaction: the time the order, its history and its event are stamped with. */
  readonly now: Date;
  /** The states of the cart's discount codes, with this customer's uses, and the clock they apply at. */
  readonly discounts: CheckoutDiscounts;
  /** The request's key as stored; undefined when there is none (or no key was sent). */
  readonly key: StoredKey | undefined;
  /** Milliseconds until the customer's orders of the last minute fall below the quota; undefined when off. */
  readonly ordersWaitMs?: number;
  /** The customer's other unexpired keys, and milliseconds until the first expires; undefined when off. */
  readonly liveKeys?: { readonly count: number; readonly waitMs: number };
}

interface ReadRow {
  now_ms: number;
  discount_states: (DiscountCodeRow & { used_by_customer: number })[];
  key_fingerprint?: string | null;
  key_state?: 'in_progress' | 'completed' | null;
  key_order_id?: string | null;
  key_free?: boolean | null;
  orders_wait_ms?: number | null;
  live_keys?: number | null;
  live_keys_wait_ms?: number | null;
}

interface ReadShape {
  readonly keyed: boolean;
  readonly ordersPerMinute: boolean;
  readonly liveKeys: boolean;
}

interface ReadInput {
  readonly customerId: string;
  readonly key?: IdempotentRequest;
  readonly quotas: CheckoutQuotas;
}

interface ReadStatement {
  readonly statement: NamedStatement;
  values(input: ReadInput): [string, ...unknown[]];
}

function readStatement({ keyed, ordersPerMinute, liveKeys }: ReadShape): ReadStatement {
  // $1 is the customer id, as the cart's locked read has it.
  const params: ((input: ReadInput) => unknown)[] = [(input) => input.customerId];
  const param = (read: (input: ReadInput) => unknown, type: string) => `$${params.push(read)}::${type}`;
  // The codes' rows are not locked: the use each applied code counts re-checks its limits (countDiscountUses).
  const columns = [
    `${epochMsText('now()')} as now_ms`,
    `(select coalesce(json_agg(s), '[]') from (
        select ${DISCOUNT_CODE_COLUMNS('d')}, coalesce(u.times_used, 0) as used_by_customer
          from discount_codes d
          left join discount_code_customer_uses u on u.code = d.code and u.customer_id = $1
         where d.code in (select e->>'code' from jsonb_array_elements(locked.discount_codes) e)) s) as discount_states`,
  ];
  const joins: string[] = [];
  if (keyed) {
    const key = param((input) => input.key?.key, 'text');
    const fingerprint = param((input) => input.key?.fingerprint, 'text');
    columns.push(
      `k.fingerprint as key_fingerprint, k.state as key_state, ko.order_id::text as key_order_id,
       ${keyIsFree('k', fingerprint)} as key_free`,
    );
    joins.push(`left join idempotency_keys k on k.customer_id = $1 and k.key = ${key}
      left join orders ko on ko.id = k.order_id`);
    if (liveKeys) {
      columns.push('live.n as live_keys, live.wait_ms as live_keys_wait_ms');
      joins.push(`cross join lateral (
      select count(*)::int as n, (extract(epoch from min(l.expires_at) - now()) * 1000)::float8 as wait_ms
        from idempotency_keys l where l.customer_id = $1 and l.key <> ${key} and l.expires_at > now()) live`);
    }
  }
  if (ordersPerMinute) {
    // Ids grow with time: a walk of at most `max` entries of the (customer_id, id desc) index.
    const skipped = param((input) => (input.quotas.ordersPerMinute ?? 1) - 1, 'int');
    columns.push(`(select (extract(epoch from o.created_at + interval '1 minute' - now()) * 1000)::float8
        from orders o where o.customer_id = $1 order by o.id desc offset ${skipped} limit 1) as orders_wait_ms`);
  }
  const name = `carthub_checkout_read${keyed ? '_keyed' : ''}${keyed && liveKeys ? '_keys_quota' : ''}${ordersPerMinute ? '_orders_quota' : ''}`;
  return {
    statement: lockedCartWith(name, columns.join(',\n    '), joins.join('\n    ')),
    values: (input) => params.map((read) => read(input)) as [string, ...unknown[]],
  };
}

const READ_STATEMENTS = new Map<string, ReadStatement>();

/**
 * Locks the customer's cart and reads it, with the key, the quotas' counts and
 * the transaction's clock, in one statement (read again when the lock waited
 * for a writer). Under the lock, nothing it read about this customer can move
 * before commit: every writer of the key or of the customer's orders holds it.
 */
export async function readForCheckout(
  client: PoolClient,
  customerId: string,
  key: IdempotentRequest | undefined,
  quotas: CheckoutQuotas,
): Promise<CheckoutRead> {
  const shape = {
    keyed: key !== undefined,
    ordersPerMinute: Boolean(quotas.ordersPerMinute),
    liveKeys: Boolean(quotas.liveKeysPerCustomer),
  };
  const id = `${shape.keyed}/${shape.ordersPerMinute}/${shape.liveKeys}`;
  let read = READ_STATEMENTS.get(id);
  if (!read) READ_STATEMENTS.set(id, (read = readStatement(shape)));
  const { cart, row } = await lockAndReadCartWith<ReadRow>(
    client,
    read.statement,
    read.values({ customerId, key, quotas }),
  );
  const now = new Date(row.now_ms);
  return {
    cart,
    now,
    discounts: { states: discountStates(row.discount_states), now },
    key:
      row.key_fingerprint == null
        ? undefined
        : {
            fingerprint: row.key_fingerprint,
            state: row.key_state ?? 'in_progress',
            placedOrderId: row.key_order_id ?? null,
            free: row.key_free === true,
          },
    ordersWaitMs: shape.ordersPerMinute ? (row.orders_wait_ms ?? 0) : undefined,
    liveKeys:
      shape.keyed && shape.liveKeys ? { count: row.live_keys ?? 0, waitMs: row.live_keys_wait_ms ?? 0 } : undefined,
  };
}

function discountStates(rows: ReadRow['discount_states']): Map<string, DiscountCodeState> {
  return new Map(rows.map((row) => [row.code, { code: toDiscountCode(row), usedByCustomer: row.used_by_customer }]));
}

interface OrderWrite {
  readonly order: OrderSnapshot;
  readonly event: OutboxRow;
  readonly key?: IdempotentRequest;
}

export interface WrittenOrder {
  /** The order row's key, for statements that refer to it. */
  readonly orderRowId: number;
  /** False when the key was taken meanwhile by a request of an earlier version of the service (nothing may be kept). */
  readonly keyStored: boolean;
}

function orderSteps(keyed: boolean) {
  return (param: StatementParam<OrderWrite>) => {
    const order = (read: (order: OrderSnapshot) => unknown, type: string) => param((write) => read(write.order), type);
    const orderId = order((o) => o.orderId, 'uuid');
    const customer = order((o) => o.customerId, 'text');
    const status = order((o) => o.status, 'text');
    const lines = (read: (line: OrderSnapshot['lines'][number]) => unknown, type: string) =>
      order((o) => o.lines.map(read), type);
    const steps = [
      // now() is the transaction's start, so the history entry is dated exactly as created_at.
      `placed as (
      insert into orders (order_id, customer_id, status, total_amount, subtotal, discount, discount_codes, tax, shipping,
                          currency, total_items, payment_method, shipping_address, email, status_history)
      select ${orderId}, ${customer}, ${status}, ${order((o) => centsToDecimalText(o.totalAmount), 'numeric')},
             ${order((o) => centsToDecimalText(o.subtotal), 'numeric')}, ${order((o) => centsToDecimalText(o.discount), 'numeric')},
             ${order((o) => JSON.stringify(o.discountCodes.map(storedCode)), 'jsonb')}, ${order((o) => centsToDecimalText(o.tax), 'numeric')},
             ${order((o) => centsToDecimalText(o.shipping), 'numeric')}, ${order((o) => o.currency, 'text')},
             ${order((o) => o.totalItems, 'int')}, ${order((o) => o.paymentMethod, 'text')},
             ${order((o) => JSON.stringify(o.shippingAddress), 'jsonb')}, ${order((o) => o.email, 'text')},
             jsonb_build_array(jsonb_build_object('status', ${status}, 'at',
               to_char(now() at time zone 'UTC', '${ISO_MS_PATTERN}'), 'reason', null))
        from cart
      returning id)`,
      // The lines keep cart order: their ids follow it.
      `order_lines as (
      insert into order_items (order_id, product_id, product_name, price, quantity, discount)
      select placed.id, line.product_id, line.product_name, line.price, line.quantity, line.discount
        from placed,
             unnest(${lines((l) => l.productId, 'text[]')}, ${lines((l) => l.productName, 'text[]')},
                    ${lines((l) => centsToDecimalText(l.unitPrice), 'numeric[]')}, ${lines((l) => l.quantity, 'int[]')},
                    ${lines((l) => centsToDecimalText(l.discount), 'numeric[]')})
             with ordinality as line(product_id, product_name, price, quantity, discount, position)
       order by line.position)`,
      `order_event as (${insertOutboxRows(`
      select ${param((write) => write.event.event.id, 'uuid')}, ${param((write) => write.event.event.change.type, 'text')},
             'order', ${orderId}::text, ${order((o) => o.version, 'int')},
             ${param((write) => write.event.event.occurredAt.toISOString(), 'timestamptz')},
             ${param((write) => write.event.envelope, 'jsonb')}
        from placed`)})`,
    ];
    if (keyed) {
      const key = (read: (key: IdempotentRequest) => unknown, type: string) =>
        param((write) => (write.key ? read(write.key) : null), type);
      // Taken over only when still free: a request of an earlier version may hold it without the cart's lock.
      steps.push(`keyed as (
      insert into idempotency_keys as k (customer_id, key, fingerprint, state, expires_at, order_id)
      select ${customer}, ${key((k) => k.key, 'text')}, ${key((k) => k.fingerprint, 'text')}, 'completed',
             now() + interval '${IDEMPOTENCY_TTL}', placed.id
        from placed
      on conflict (customer_id, key) do update
         set fingerprint = excluded.fingerprint, state = 'completed', order_id = excluded.order_id,
             locked_at = now(), created_at = now(), expires_at = excluded.expires_at
       where ${keyIsFree('k', 'excluded.fingerprint')}
      returning 1)`);
    }
    const answer = `(select id from placed) as order_row_id${keyed ? ', (select count(*) from keyed)::int as keys_stored' : ''}`;
    return { steps, answer };
  };
}

const ORDER_STEPS = { plain: orderSteps(false), keyed: orderSteps(true) };

/**
 * The order as stored, before it is: its public id chosen here and its times
 * the transaction's now(), which the statement stamps, so its event can be
 * written in the same statement.
 */
export function orderToPlace(
  order: Omit<
    OrderSnapshot,
    'orderId' | 'version' | 'statusHistory' | 'paymentId' | 'trackingNumber' | 'createdAt' | 'updatedAt'
  >,
  orderId: string,
  now: Date,
): OrderSnapshot {
  return {
    ...order,
    orderId,
    version: 1,
    statusHistory: [{ status: order.status, at: now, reason: null }],
    paymentId: null,
    trackingNumber: null,
    reservations: [],
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Writes the emptied cart with cart.cleared, and beside it the order, its
 * lines, order.placed and (with `key`) the key completed with the order, in
 * the cart's one statement. Run under the cart's lock (readForCheckout), so
 * the cart's guard cannot miss.
 */
export async function writeOrder(
  client: PoolClient,
  outbox: OutboxWriter,
  cart: Cart,
  order: OrderSnapshot,
  key: IdempotentRequest | undefined,
): Promise<WrittenOrder> {
  const alongside: Alongside<OrderWrite, WrittenOrder> = {
    name: key ? 'place_order_keyed' : 'place_order',
    values: { order, event: outbox.row(orderOutboxEvent(order)), key },
    statement: key ? ORDER_STEPS.keyed : ORDER_STEPS.plain,
    read: (row) => ({ orderRowId: Number(row.order_row_id), keyStored: !key || row.keys_stored === 1 }),
  };
  const written = await writeCartWith(client, outbox, cart, alongside);
  if (!written) throw new Error(`cart ${cart.customerId} moved under its lock`);
  return written.beside;
}
