// The bare floor's operations, free of any framework: the statements, the checks
// and the JSON of tools/bench/floor-server.mjs, which every floor server routes to
// (floor-server.mjs on node:http, koa-floor.mjs on Koa and @koa/router), so that
// floors differ only in what carries a request to them. See tools/bench/README.md.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { cents, LINES_JSON, ms, readCart, representation, toLine } from './floor-cart.mjs';

const MAX_QUANTITY = 99;
const BODY_LIMIT = 16 * 1024;
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;
const PAYMENT_METHODS = new Set(['credit_card', 'debit_card', 'paypal', 'apple_pay', 'google_pay', 'bank_transfer']);
const NOT_NULL_VIOLATION = '23502';
const UNIQUE_VIOLATION = '23505';

/** The pool every floor queries through: 20 connections, as the API's DB_POOL_MAX in the bench. */
export function floorPool(applicationName) {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: 20,
    connectionTimeoutMillis: 1_500,
    statement_timeout: 5_000,
    application_name: applicationName,
  });
  // An idle connection dropped by the server is replaced on the next query; it must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/*
 * A write in one statement: the first data-modifying step takes the cart's row
 * lock (writers of one cart queue there, and each sees the latest committed
 * row, so nothing is lost), the second changes the line. The statement's
 * snapshot (taken before any lock wait) supplies the other lines and the
 * version they belong to: when that version is the one just replaced, the
 * snapshot is exactly the cart before this write and the answer is exact;
 * otherwise another writer got in between and the cart is read again.
 */
const BEFORE = `(select version from carts where customer_id = $1) as seen_version,
  (select ${LINES_JSON('s.id')} from carts s where s.customer_id = $1) as seen_lines`;
const CART_RETURNING = `c.id, c.version, ${ms('c.created_at')} as created_ms, ${ms('c.updated_at')} as updated_ms`;

/*
 * The change's event, written to the outbox by the same statement (the job
 * includes it: every cart change the API makes writes one), its envelope built
 * in SQL (no NOTIFY, as the API's cart changes). `cart` is the statement's bumped row.
 */
const EVENT = (type, data, sources = 'cart') => `event as (
      insert into outbox_events (id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope)
      select e.id, '${type}', 'cart', $1, cart.version, to_timestamp(cart.updated_ms / 1000),
        jsonb_build_object('id', e.id, 'type', '${type}', 'aggregate_type', 'cart', 'aggregate_id', $1::text,
          'sequence', cart.version, 'schema_version', 1, 'data', ${data},
          'occurred_at', to_char(to_timestamp(cart.updated_ms / 1000) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
        from ${sources}, (select gen_random_uuid() as id) e)`;
const LINE_JSON = (price, quantity) =>
  `jsonb_build_object('product_id', $2::text, 'product_name', name.product_name, 'price', ${price}, 'quantity', ${quantity}, 'subtotal', ${price} * ${quantity})`;

// Adds to the line's quantity; past 99 the NOT NULL constraint fails the statement, so nothing changes.
const ADD = {
  name: 'floor_add',
  text: `with cart as (
      insert into carts as c (customer_id, version) values ($1, 1)
      on conflict (customer_id) do update set version = c.version + 1, updated_at = now()
      returning ${CART_RETURNING}),
    line as (
      insert into cart_items as i (cart_id, product_id, product_name, price, quantity)
      select cart.id, $2::text, $3::text, $4::numeric, $5::int from cart
      on conflict (cart_id, product_id) do update
        set quantity = case when i.quantity + excluded.quantity <= ${MAX_QUANTITY} then i.quantity + excluded.quantity end,
            product_name = excluded.product_name, price = excluded.price, updated_at = now()
      returning i.quantity, i.product_name),
    name as (select $3::text as product_name),
    ${EVENT('cart.item_added', `jsonb_build_object('product_id', $2::text, 'line', ${LINE_JSON('$4::numeric', 'line.quantity')})`, 'cart, line, name')}
    select cart.*, line.quantity, ${BEFORE} from cart, line`,
};

// The cart's lock first, then the line; the version moves only if the line was there.
const SET_QUANTITY = {
  name: 'floor_set_quantity',
  text: `with locked as (select id from carts where customer_id = $1 for update),
    line as (update cart_items i set quantity = $3, updated_at = now() from locked
              where i.cart_id = locked.id and i.product_id = $2 returning i.cart_id, i.product_name, i.price),
    cart as (update carts c set version = c.version + 1, updated_at = now() from line
              where c.id = line.cart_id returning ${CART_RETURNING}),
    name as (select product_name from line),
    ${EVENT('cart.item_updated', `jsonb_build_object('product_id', $2::text, 'line', ${LINE_JSON('line.price', '$3::int')})`, 'cart, line, name')}
    select cart.*, ${BEFORE} from cart`,
};
const REMOVE_LINE = {
  name: 'floor_remove_line',
  text: `with locked as (select id from carts where customer_id = $1 for update),
    line as (delete from cart_items i using locked where i.cart_id = locked.id and i.product_id = $2 returning i.cart_id),
    cart as (update carts c set version = c.version + 1, updated_at = now() from line
              where c.id = line.cart_id returning ${CART_RETURNING}),
    ${EVENT('cart.item_removed', `jsonb_build_object('product_id', $2::text, 'line', null)`)}
    select cart.*, ${BEFORE} from cart`,
};

const iso = (at) => `to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
// Amounts as the API's JSON numbers: 12.5, not 12.50.
const amount = (value) => `trim_scale(${value})`;
// An order's lines as the contract's JSON, from `source`, which names them `l`.
const ITEMS_JSON = (source) => `(select jsonb_agg(jsonb_build_object('product_id', l.product_id,
    'product_name', l.product_name, 'price', ${amount('l.price')}, 'quantity', l.quantity,
    'subtotal', ${amount('l.price * l.quantity')}) order by l.id) from ${source})`;
// The contract's Order, field by field, from the orders row `o`: the answer's `order` and order.placed's `data.order`.
const ORDER_JSON = (o, items) => `jsonb_build_object('order_id', ${o}.order_id, 'customer_id', ${o}.customer_id,
    'status', ${o}.status, 'subtotal', ${amount(`${o}.subtotal`)}, 'tax', ${amount(`${o}.tax`)},
    'shipping', ${amount(`${o}.shipping`)}, 'total_amount', ${amount(`${o}.total_amount`)}, 'currency', ${o}.currency,
    'total_items', ${o}.total_items, 'payment_method', ${o}.payment_method, 'shipping_address', ${o}.shipping_address,
    'version', ${o}.version, 'status_history', ${o}.status_history, 'payment_id', ${o}.payment_id,
    'tracking_number', ${o}.tracking_number, 'items', ${items},
    'created_at', ${iso(`${o}.created_at`)}, 'updated_at', ${iso(`${o}.updated_at`)})`;

/*
 * Checkout in one statement, its own transaction: move the cart's version on,
 * move its lines into an order, store the Idempotency-Key ($4, may be null)
 * as completed with that order, and write cart.cleared and order.placed as
 * the API does (cart's first). The version's update is the cart's lock, and
 * it matches only the version this statement's snapshot read: when another
 * change committed in between (every cart change moves the version) nothing
 * is written and checkout runs again behind the lock (placeOrder). A key the
 * snapshot already holds is answered by replay; one stored since fails the
 * key's insert, and so the whole statement. No tax, no shipping, USD: the API
 * as the bench runs it. No NOTIFY: the relay's poll finds the events.
 */
const PLACE_ORDER = {
  name: 'floor_place_order',
  text: `with seen as (select id, version from carts where customer_id = $1::text),
    cart as (
      update carts c set version = c.version + 1, updated_at = now() from seen
       where c.id = seen.id and c.version = seen.version
         and exists (select 1 from cart_items i where i.cart_id = seen.id)
         and not exists (select 1 from idempotency_keys k where k.customer_id = $1::text and k.key = $4::text)
      returning c.id, c.version, c.updated_at),
    lines as (delete from cart_items i using cart where i.cart_id = cart.id
              returning i.id, i.product_id, i.product_name, i.price, i.quantity),
    placed as (
      insert into orders (customer_id, status, subtotal, total_amount, currency, total_items, payment_method,
                          shipping_address, status_history)
      select $1::text, 'pending', sum(price * quantity), sum(price * quantity), 'USD', sum(quantity), $2::text, $3::jsonb,
             jsonb_build_array(jsonb_build_object('status', 'pending', 'at', ${iso('now()')}, 'reason', null))
        from lines having count(*) > 0
      returning *),
    shown as (select placed.id, placed.order_id, placed.created_at, ${ORDER_JSON('placed', ITEMS_JSON('lines l'))} as order_json
                from placed),
    copied as (
      insert into order_items (order_id, product_id, product_name, price, quantity)
      select shown.id, l.product_id, l.product_name, l.price, l.quantity from shown, lines l order by l.id),
    claimed as (
      insert into idempotency_keys (customer_id, key, fingerprint, state, expires_at, order_id)
      select $1::text, $4::text, $5::text, 'completed', now() + interval '24 hours', shown.id from shown where $4::text is not null),
    events as (
      insert into outbox_events (id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope)
      select e.id, e.type, e.aggregate_type, e.aggregate_id, e.sequence, e.at,
             jsonb_build_object('id', e.id, 'type', e.type, 'aggregate_type', e.aggregate_type, 'aggregate_id', e.aggregate_id,
               'sequence', e.sequence, 'occurred_at', ${iso('e.at')}, 'schema_version', 1, 'data', e.data)
        from shown, cart, lateral (values
          (gen_random_uuid(), 'cart.cleared', 'cart', $1::text, cart.version, date_trunc('milliseconds', cart.updated_at),
           '{"reason": "checkout", "remaining": []}'::jsonb),
          (gen_random_uuid(), 'order.placed', 'order', shown.order_id::text, 1, date_trunc('milliseconds', shown.created_at),
           jsonb_build_object('order', shown.order_json))) as e(id, type, aggregate_type, aggregate_id, sequence, at, data))
    select shown.order_json,
           exists (select 1 from idempotency_keys k where k.customer_id = $1::text and k.key = $4::text) as key_seen,
           exists (select 1 from seen join cart_items i on i.cart_id = seen.id) as had_lines
      from (values (1)) as one left join shown on true`,
};
const LOCK_CART = { name: 'floor_lock_cart', text: `select 1 from carts where customer_id = $1 for update` };
// What a repeated key answers: the order its first request placed, rendered as then.
const STORED_KEY = {
  name: 'floor_stored_key',
  text: `select k.fingerprint, k.state, ${ORDER_JSON('o', ITEMS_JSON('order_items l where l.order_id = o.id'))} as order_json
           from idempotency_keys k left join orders o on o.id = k.order_id where k.customer_id = $1 and k.key = $2`,
};

class Refusal extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * The floor's routes as handlers: each takes the Node request and the route's
 * decoded parameters (customer_id, product_id) and answers { status, body,
 * headers }, the body as JSON text; none throws. The request's body is read
 * from the Node request itself, the same way behind any framework.
 */
export function floorHandlers(pool) {
  return {
    getCart: answering(async (_request, params) => {
      const cart = await readCart(pool, text(params.customer_id, 'customer_id'));
      return json(200, cart, { ETag: `"${cart.version}"`, 'Cache-Control': 'no-cache' });
    }),
    addItem: answering(async (request) => {
      const item = addRequest(await readJson(request));
      const cart = await addItem(pool, item);
      return mutated(`Added ${item.quantity} × ${item.productName} to the cart`, cart);
    }),
    setQuantity: answering(async (request, params) => {
      const customerId = text(params.customer_id, 'customer_id');
      const productId = text(params.product_id, 'product_id');
      const quantity = quantityOf(await readJson(request));
      const cart = await setQuantity(pool, customerId, productId, quantity);
      return mutated(quantity === 0 ? 'Item removed from the cart' : `Quantity set to ${quantity}`, cart);
    }),
    checkout: answering(async (request) => checkout(pool, checkoutRequest(await readJson(request)), request)),
    notFound: answering(async () => {
      throw new Refusal(404, 'NOT_FOUND', 'Not found');
    }),
  };
}

/** A handler that answers its refusals and failures too, and echoes a sane X-Request-Id (the bench's add counts need it). */
function answering(handler) {
  return async (request, params) => {
    let answer;
    try {
      answer = await handler(request, params);
    } catch (error) {
      const refused = error instanceof Refusal;
      if (!refused) process.stderr.write(`floor: ${error.stack ?? error}\n`);
      answer = json(refused ? error.status : 500, {
        success: false,
        error: refused ? error.message : 'Internal error',
        code: refused ? error.code : 'INTERNAL_ERROR',
      });
    }
    const id = request.headers['x-request-id'];
    if (id && SANE_REQUEST_ID.test(id)) answer.headers['X-Request-Id'] = id;
    return answer;
  };
}

const json = (status, body, headers = {}) => ({ status, body: JSON.stringify(body), headers });

function mutated(message, cart) {
  return json(200, { success: true, message, cart }, { ETag: `"${cart.version}"` });
}

async function addItem(pool, item) {
  let row;
  try {
    ({
      rows: [row],
    } = await pool.query({
      ...ADD,
      values: [item.customerId, item.productId, item.productName, centsText(item.cents), item.quantity],
    }));
  } catch (error) {
    if (error.code === NOT_NULL_VIOLATION) throw new Refusal(422, 'CART_LIMIT_EXCEEDED', 'Too many of one product');
    throw error;
  }
  const line = { productId: item.productId, productName: item.productName, cents: item.cents, quantity: row.quantity };
  return afterWrite(pool, item.customerId, row, (lines) => {
    const at = lines.findIndex((old) => old.productId === item.productId);
    if (at < 0) return [...lines, line];
    return lines.map((old, i) => (i === at ? line : old));
  });
}

async function setQuantity(pool, customerId, productId, quantity) {
  const statement = quantity === 0 ? REMOVE_LINE : SET_QUANTITY;
  const values = quantity === 0 ? [customerId, productId] : [customerId, productId, quantity];
  const {
    rows: [row],
  } = await pool.query({ ...statement, values });
  if (!row) throw new Refusal(404, 'ITEM_NOT_FOUND', 'The cart has no such item');
  return afterWrite(pool, customerId, row, (lines) =>
    quantity === 0
      ? lines.filter((line) => line.productId !== productId)
      : lines.map((line) => (line.productId === productId ? { ...line, quantity } : line)),
  );
}

/** The cart after a write: exact from the statement's snapshot when no other writer came between, else read again. */
async function afterWrite(pool, customerId, row, change) {
  const seenVersion = row.seen_version ?? 0;
  if (seenVersion === row.version - 1) {
    const lines = change((row.seen_lines ?? []).map(toLine));
    return representation(customerId, lines, row.version, row.created_ms, row.updated_ms);
  }
  return readCart(pool, customerId);
}

async function checkout(pool, order, request) {
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (key.length < 1 || key.length > 255)) {
    throw new Refusal(422, 'VALIDATION_FAILED', 'Idempotency-Key is invalid');
  }
  const fingerprint = key === undefined ? null : createHash('sha256').update(JSON.stringify(order)).digest('hex');
  const values = [
    order.customerId,
    order.paymentMethod,
    JSON.stringify(order.shippingAddress),
    key ?? null,
    fingerprint,
  ];
  let outcome;
  try {
    outcome = await placeOrder(pool, values);
  } catch (error) {
    // The key was stored after this statement's snapshot: its request placed the order.
    if (error.code === UNIQUE_VIOLATION) return replay(pool, order.customerId, key, fingerprint);
    throw error;
  }
  if (outcome.order_json) return placedAnswer(outcome.order_json);
  if (outcome.key_seen) return replay(pool, order.customerId, key, fingerprint);
  throw new Refusal(409, 'CART_EMPTY', 'The cart is empty');
}

/** PLACE_ORDER alone; when another change came between its snapshot and the cart's lock, again behind the lock. */
async function placeOrder(pool, values) {
  const {
    rows: [outcome],
  } = await pool.query({ ...PLACE_ORDER, values });
  if (outcome.order_json || outcome.key_seen || !outcome.had_lines) return outcome;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query({ ...LOCK_CART, values: [values[0]] });
    const {
      rows: [locked],
    } = await client.query({ ...PLACE_ORDER, values });
    await client.query('commit');
    return locked;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function replay(pool, customerId, key, fingerprint) {
  const {
    rows: [stored],
  } = await pool.query({ ...STORED_KEY, values: [customerId, key] });
  if (!stored) throw new Refusal(409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this key is still running');
  if (stored.fingerprint !== fingerprint) {
    throw new Refusal(422, 'IDEMPOTENCY_KEY_REUSED', 'This key was used with another request');
  }
  if (stored.state !== 'completed')
    throw new Refusal(409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this key is still running');
  // As the API does: the key keeps the order, and a replay renders it again.
  return placedAnswer(stored.order_json);
}

function placedAnswer(order) {
  const body = JSON.stringify({
    success: true,
    message: `Order placed: ${order.total_items} item(s)`,
    order_id: order.order_id,
    total_amount: order.total_amount,
    order,
  });
  return { status: 201, body, headers: { Location: `/api/v1/orders/${order.order_id}` } };
}

function object(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Refusal(422, 'VALIDATION_FAILED', 'The body must be an object');
  }
  return body;
}

function addRequest(input) {
  const body = object(input);
  const price = typeof body.price === 'number' ? String(body.price) : body.price;
  const itemCents = typeof price === 'string' ? cents(price.trim()) : undefined;
  if (itemCents === undefined || itemCents <= 0) throw new Refusal(422, 'VALIDATION_FAILED', 'price is invalid');
  if (!Number.isInteger(body.quantity) || body.quantity < 1) {
    throw new Refusal(422, 'VALIDATION_FAILED', 'quantity is invalid');
  }
  if (body.quantity > MAX_QUANTITY) throw new Refusal(422, 'CART_LIMIT_EXCEEDED', 'Too many of one product');
  return {
    customerId: text(body.customer_id, 'customer_id'),
    productId: text(body.product_id, 'product_id'),
    productName: text(body.product_name, 'product_name'),
    cents: itemCents,
    quantity: body.quantity,
  };
}

function quantityOf(input) {
  const { quantity } = object(input);
  if (!Number.isInteger(quantity) || quantity < 0) throw new Refusal(422, 'VALIDATION_FAILED', 'quantity is invalid');
  if (quantity > MAX_QUANTITY) throw new Refusal(422, 'CART_LIMIT_EXCEEDED', 'Too many of one product');
  return quantity;
}

function checkoutRequest(input) {
  const body = object(input);
  if (!PAYMENT_METHODS.has(body.payment_method))
    throw new Refusal(422, 'VALIDATION_FAILED', 'payment_method is invalid');
  const address = object(body.shipping_address);
  const country = address.country === undefined ? 'US' : address.country;
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) {
    throw new Refusal(422, 'VALIDATION_FAILED', 'shipping_address.country is invalid');
  }
  return {
    customerId: text(body.customer_id, 'customer_id'),
    paymentMethod: body.payment_method,
    shippingAddress: {
      street: text(address.street, 'street'),
      city: text(address.city, 'city'),
      state: text(address.state, 'state'),
      zip: text(address.zip, 'zip'),
      country,
    },
  };
}

function text(value, field) {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed.length < 1 || trimmed.length > 255 || /\p{Cc}/u.test(trimmed)) {
    throw new Refusal(422, 'VALIDATION_FAILED', `${field} is invalid`);
  }
  return trimmed;
}

const centsText = (value) => `${Math.trunc(value / 100)}.${String(value % 100).padStart(2, '0')}`;

function readJson(request) {
  if (!/^application\/(.+\+)?json\b/i.test(request.headers['content-type'] ?? '')) {
    return Promise.reject(new Refusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new Refusal(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('error', reject);
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Refusal(400, 'INVALID_JSON', 'The body is not valid JSON'));
      }
    });
  });
}

/**
 * Serves `server` on PORT and HOST until SIGTERM, SIGINT, or the bench's IPC
 * channel closing (if the bench dies, so does the floor); then ends `pool`.
 */
export function serveUntilStopped(name, server, pool) {
  server.keepAliveTimeout = 65_000;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    pool.end().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  const host = process.env.HOST ?? '127.0.0.1';
  server.listen(Number(process.env.PORT ?? 8100), host, () => {
    process.stdout.write(`${name} listening on ${host}:${server.address().port}\n`);
  });
}
