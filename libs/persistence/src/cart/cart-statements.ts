import type { Pool, PoolClient } from 'pg';
import { Cart, CartChanges, CartSnapshot, centsToDecimalText } from '@carthub/domain';
import { toLine } from './line-row';
import { cartOutboxEvent, insertOutboxRows, OutboxRow, OutboxWriter } from '../outbox/outbox-writer';
import { epochMsText as epochMs, ISO_MS_PATTERN } from '../connection/sql-plumbing';

/*
 * The cart store's statements, the only ones that read or write a cart
 * (every change, checkout, merge and expiry goes through them), prepared once per connection
 * (named statements: PostgreSQL parses and plans each once, not per request):
 * a read of the whole cart as one row (also under the row lock), and a write
 * that applies a change only if the cart still has the version it was read
 * at, with its event, in one autocommitted statement.
 */

/** A line as the read aggregates it: [product_id, product_name, price, quantity]. */
type LineTuple = [string, string, string, number];

interface CartRow {
  version: number;
  created_ms: number;
  updated_ms: number;
  lines: LineTuple[];
}

const selectCart = (
  extra = '',
) => `select c.version,${extra} ${epochMs('c.created_at')} as created_ms, ${epochMs('c.updated_at')} as updated_ms,
      coalesce((select json_agg(json_build_array(i.product_id, i.product_name, i.price::text, i.quantity) order by i.id)
                  from cart_items i where i.cart_id = c.id), '[]') as lines
    from carts c where c.customer_id = $1`;
const READ_CART = { name: 'carthub_read_cart', text: selectCart() };
/*
 * Inside a transaction: writers of one cart queue up here. A lock that had to
 * wait returns the row as its writer committed it, but the lines come from the
 * statement's snapshot, taken before the wait; `seen_version` is the version
 * of that snapshot, so a mismatch says the lines must be read again.
 */
const LOCK_CART = `${selectCart(' (select s.version from carts s where s.id = c.id) as seen_version,')} for update of c`;

/** The customer's cart, in one statement; undefined when they have none. */
export function readCart(db: Pool | PoolClient, customerId: string): Promise<CartSnapshot | undefined> {
  return db.query<CartRow>({ ...READ_CART, values: [customerId] }).then(({ rows }) => toSnapshot(customerId, rows));
}

export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * The locked read with more read beside it in the same statement (checkout's
 * key and quotas): `columns` may name `locked`, the cart's row (all null when
 * there is no cart), and parameters from $2 on ($1 is the customer id);
 * `joins` add to the one row whatever they join.
 */
export function lockedCartWith(name: string, columns = '', joins = ''): NamedStatement {
  return {
    name,
    text: `with locked as (${LOCK_CART})
    select locked.*${columns ? `, ${columns}` : ''} from (values (1)) as one left join locked on true ${joins}`,
  };
}

/**
 * Runs a `lockedCartWith` statement in the client's transaction: the cart
 * (undefined when there is none, and then nothing is locked) and the row.
 */
export async function lockAndReadCartWith<R extends object>(
  client: PoolClient,
  statement: NamedStatement,
  values: readonly [customerId: string, ...rest: unknown[]],
): Promise<{ readonly cart: CartSnapshot | undefined; readonly row: R }> {
  const run = () =>
    client.query<Partial<CartRow> & { seen_version: number | null } & R>({ ...statement, values: [...values] });
  let [row] = (await run()).rows;
  // The lock waited for a writer: read again, now that a new statement sees what it committed (the rest too).
  if (row.version != null && row.seen_version !== row.version) [row] = (await run()).rows;
  return { cart: row.version == null ? undefined : toSnapshot(values[0], [row as CartRow]), row };
}

const LOCKED_CART = lockedCartWith('carthub_lock_cart');

/** readCart under the cart's row lock, in the client's transaction (a cart that does not exist yet is not locked). */
export async function lockAndReadCart(client: PoolClient, customerId: string): Promise<CartSnapshot | undefined> {
  return (await lockAndReadCartWith(client, LOCKED_CART, [customerId])).cart;
}

function toSnapshot(customerId: string, rows: readonly CartRow[]): CartSnapshot | undefined {
  if (rows.length === 0) return undefined;
  const [row] = rows;
  return {
    customerId,
    version: row.version,
    createdAt: new Date(row.created_ms),
    updatedAt: new Date(row.updated_ms),
    lines: row.lines.map(([product_id, product_name, price, quantity]) =>
      toLine({ product_id, product_name, price, quantity }),
    ),
  };
}

/*
 * The version guard is the whole concurrency story: the update matches only
 * the version the change was computed from (a row that moved on matches
 * nothing, after waiting for its writer), and only a cart never stored may be
 * created. Every other step reads `cart`, so when the guard fails nothing is
 * written. Each shape of change has a statement of its own, so none pays for a
 * step it does not need (an empty delete step costs as much as the rest).
 * Clearing deletes every line but those written again: a statement cannot
 * delete and re-insert one row, and the kept row is overwritten.
 * The event's occurred_at is the cart's own updated_at, which only this
 * statement knows, formatted as the envelope's other timestamps are
 * (milliseconds, truncated, UTC).
 * It does not NOTIFY the relay: a notifying commit takes a lock that every
 * other notifying commit in the cluster waits for, which would serialize the
 * busiest writes of the service; the relay's poll (RELAY_POLL_MS) finds the
 * events instead.
 */
interface SwapShape {
  /** The cart was never stored: create it, unless another writer has. */
  readonly creates: boolean;
  readonly removes: boolean;
  readonly upserts: boolean;
}

/** Adds a parameter read from the values a statement runs with; answers its placeholder, cast to `type`. */
export type StatementParam<V> = (value: (values: V) => unknown, type: string) => string;

/**
 * What a change writes beside the cart in the cart's own statement (checkout:
 * the order, its lines, its key and its event). Its steps come after the
 * cart's and read `cart`, the row the guard wrote, so that they too write
 * nothing when the guard fails.
 */
export interface Alongside<V, A> {
  /** Names the statement's shape: one name, one text (it is prepared under that name). */
  readonly name: string;
  readonly values: V;
  statement(param: StatementParam<V>): {
    /** CTE steps, `name as (…)`. */
    readonly steps: readonly string[];
    /** Columns of the answer beside the cart's, e.g. `(select count(*) from step)::int as written`. */
    readonly answer: string;
  };
  /** What the answer's extra columns say. */
  read(row: Record<string, unknown>): A;
}

type AnyAlongside = Alongside<unknown, unknown>;

interface SwapStatement {
  readonly name: string;
  readonly text: string;
  values(swap: CartSwap): unknown[];
}

function swapStatement({ creates, removes, upserts }: SwapShape, alongside?: AnyAlongside): SwapStatement {
  const params: ((swap: CartSwap) => unknown)[] = [];
  const param = (value: (swap: CartSwap) => unknown, type: string) => `$${params.push(value)}::${type}`;
  const customer = param((swap) => swap.customerId, 'text');
  let ids: string | undefined;
  const upsertedIds = () => (ids ??= param((swap) => swap.changes.upserted.map((line) => line.productId), 'text[]'));
  const guard = creates
    ? `insert into carts (customer_id, version) values (${customer}, 1) on conflict (customer_id) do nothing`
    : `update carts set version = version + 1, updated_at = now()
        where customer_id = ${customer} and version = ${param((swap) => swap.readVersion, 'int')}`;
  const steps = [`cart as (${guard} returning id, version, created_at, updated_at)`];
  if (removes) {
    const cleared = param((swap) => swap.changes.cleared, 'boolean');
    const removed = param((swap) => swap.changes.removed, 'text[]');
    steps.push(`removed as (
      delete from cart_items i using cart
       where i.cart_id = cart.id and (${cleared} or i.product_id = any(${removed})) ${upserts ? ` and i.product_id <> all(${upsertedIds()})` : ''})`);
  }
  if (upserts) {
    const names = param((swap) => swap.changes.upserted.map((line) => line.productName), 'text[]');
    const prices = param(
      (swap) => swap.changes.upserted.map((line) => centsToDecimalText(line.unitPrice)),
      'numeric[]',
    );
    const quantities = param((swap) => swap.changes.upserted.map((line) => line.quantity), 'int[]');
    steps.push(`upserted as (
      insert into cart_items (cart_id, product_id, product_name, price, quantity)
      select cart.id, l.* from cart, unnest(${upsertedIds()}, ${names}, ${prices}, ${quantities}) as l
      on conflict (cart_id, product_id) do update
        set product_name = excluded.product_name, price = excluded.price, quantity = excluded.quantity, updated_at = now())`);
  }
  const eventId = param((swap) => swap.event.event.id, 'uuid');
  const type = param((swap) => swap.event.event.change.type, 'text');
  const envelope = param((swap) => swap.event.envelope, 'jsonb');
  steps.push(
    `event as (${insertOutboxRows(`
      select ${eventId}, ${type}, 'cart', ${customer}, cart.version, date_trunc('milliseconds', cart.updated_at),
             ${envelope} || jsonb_build_object('occurred_at',
               to_char(cart.updated_at at time zone 'UTC', '${ISO_MS_PATTERN}'))
        from cart`)})`,
  );
  const beside = alongside?.statement((value, type) => param((swap) => value(swap.alongside?.values), type));
  return {
    name: `carthub_swap_cart_${creates ? 'new' : 'stored'}${removes ? '_removes' : ''}${upserts ? '_upserts' : ''}${alongside ? `_${alongside.name}` : ''}`,
    text: `with ${[...steps, ...(beside?.steps ?? [])].join(',\n    ')}
    select cart.version, ${epochMs('cart.created_at')} as created_ms, ${epochMs('cart.updated_at')} as updated_ms${beside ? `, ${beside.answer}` : ''}
      from cart`,
    values: (swap) => params.map((value) => value(swap)),
  };
}

const SWAP_STATEMENTS = new Map<string, SwapStatement>();

function swapStatementFor(swap: CartSwap): SwapStatement {
  const { cleared, removed, upserted } = swap.changes;
  const shape = {
    creates: swap.readVersion === 0,
    removes: cleared || removed.length > 0,
    upserts: upserted.length > 0,
  };
  const key = `${shape.creates}/${shape.removes}/${shape.upserts}/${swap.alongside?.name ?? ''}`;
  let statement = SWAP_STATEMENTS.get(key);
  if (!statement) SWAP_STATEMENTS.set(key, (statement = swapStatement(shape, swap.alongside)));
  return statement;
}

interface CartSwap {
  readonly customerId: string;
  /** The version the change was computed from (0: a cart never stored). */
  readonly readVersion: number;
  readonly changes: CartChanges;
  /** The change's event, numbered readVersion + 1. */
  readonly event: OutboxRow;
  readonly alongside?: AnyAlongside;
}

type SwapRow = { version: number; created_ms: number; updated_ms: number } & Record<string, unknown>;

/** Writes the change and its event if the cart is still at `readVersion`; undefined when another writer got there first. */
async function swapCart(db: Pool | PoolClient, swap: CartSwap): Promise<SwapRow | undefined> {
  const { name, text, values } = swapStatementFor(swap);
  const { rows } = await db.query<SwapRow>({ name, text, values: values(swap) });
  return rows[0];
}

/**
 * Writes what `cart` changed since it was read, with its event, if the cart
 * is still at the version read: the cart as it then stands, or undefined when
 * another writer got there first (nothing written). A cart without changes
 * is answered as it is.
 */
export async function writeCart(
  db: Pool | PoolClient,
  outbox: OutboxWriter,
  cart: Cart,
): Promise<CartSnapshot | undefined> {
  if (!cart.hasChanges) return cart.toSnapshot();
  return (await swapChanged(db, outbox, cart))?.cart;
}

/**
 * writeCart with what the change writes beside the cart (`alongside`), all in
 * the cart's one statement: the cart as it then stands and what `alongside`
 * reads from the answer, or undefined when another writer got there first
 * (nothing written at all). The cart must have changed.
 */
export async function writeCartWith<V, A>(
  db: Pool | PoolClient,
  outbox: OutboxWriter,
  cart: Cart,
  alongside: Alongside<V, A>,
): Promise<{ readonly cart: CartSnapshot; readonly beside: A } | undefined> {
  if (!cart.hasChanges) throw new Error('writeCartWith needs a cart that changed');
  const written = await swapChanged(db, outbox, cart, alongside as AnyAlongside);
  return written && { cart: written.cart, beside: alongside.read(written.row) };
}

async function swapChanged(db: Pool | PoolClient, outbox: OutboxWriter, cart: Cart, alongside?: AnyAlongside) {
  const change = cart.event;
  if (!change) throw new Error('a cart change without its event');
  // The statement stamps occurred_at with the cart's own updated_at; this placeholder never reaches the outbox.
  const event = outbox.row(
    cartOutboxEvent(cart.customerId, { version: cart.version + 1, updatedAt: new Date(0) }, change),
  );
  const row = await swapCart(db, {
    customerId: cart.customerId,
    readVersion: cart.version,
    changes: cart.changes(),
    event,
    alongside,
  });
  if (!row) return undefined;
  const snapshot = cart.toSnapshot();
  return {
    cart: {
      ...snapshot,
      version: row.version,
      createdAt: snapshot.createdAt ?? new Date(row.created_ms),
      updatedAt: new Date(row.updated_ms),
    },
    row,
  };
}
