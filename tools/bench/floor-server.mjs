// The floor: the cheapest honest server for GET cart and add, on node:http and
// pg with no framework, running the API's SQL and answering its JSON. What the
// API spends beyond this is what its framework, validation and ORM cost.
//   PORT=8100 DATABASE_URL=postgres://… node tools/bench/floor-server.mjs
import http from 'node:http';
import pg from 'pg';

const MAX_QUANTITY = 99;
const MAX_ITEMS = 100;
const BODY_LIMIT = 16 * 1024;
const AMOUNT = /^(\d{1,8})(?:\.(\d{1,2}))?$/;
const CART_PATH = /^\/api\/v1\/cart\/([^/]+)$/;
const epochMs = (column) => `(extract(epoch from ${column}) * 1000)::float8`;

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  connectionTimeoutMillis: 1_500,
  statement_timeout: 5_000,
  application_name: 'carthub-floor',
});
// An idle connection dropped by the server is replaced on the next query; it must not crash the process.
pool.on('error', () => undefined);

const GET_CART = `
  select c.customer_id, c.version, ${epochMs('c.created_at')} as created_ms, ${epochMs('c.updated_at')} as updated_ms,
         i.product_id, i.product_name, i.price, i.quantity
    from carts c left join cart_items i on i.cart_id = c.id
   where c.customer_id = $1
   order by i.id`;
const LOCK_AND_BUMP = `
  insert into carts as c (customer_id, version) values ($1, 1)
  on conflict (customer_id) do update set version = c.version + 1, updated_at = now()
  returning c.id, c.version, ${epochMs('c.created_at')} as created_ms, ${epochMs('c.updated_at')} as updated_ms`;
const LINES = `select product_id, product_name, price, quantity from cart_items where cart_id = $1 order by id`;
const UPSERT_LINES = `
  insert into cart_items (cart_id, product_id, product_name, price, quantity)
  select $1, * from unnest($2::text[], $3::text[], $4::numeric[], $5::int[])
  on conflict (cart_id, product_id) do update
    set product_name = excluded.product_name, price = excluded.price, quantity = excluded.quantity, updated_at = now()`;

class Refusal extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const server = http.createServer((request, response) => {
  route(request, response).catch((error) => {
    const refused = error instanceof Refusal;
    if (!refused) process.stderr.write(`floor: ${error.stack ?? error}\n`);
    send(response, refused ? error.status : 500, {
      success: false,
      error: refused ? error.message : 'Internal error',
      code: refused ? error.code : 'INTERNAL_ERROR',
    });
  });
});
server.keepAliveTimeout = 65_000;

async function route(request, response) {
  const path = request.url.split('?', 1)[0];
  const cartMatch = request.method === 'GET' && CART_PATH.exec(path);
  if (cartMatch) {
    const cart = await getCart(text(decodeURIComponent(cartMatch[1]), 'customer_id'));
    return send(response, 200, cart, { ETag: `"${cart.version}"`, 'Cache-Control': 'no-cache' });
  }
  if (request.method === 'POST' && path === '/api/v1/cart/items') {
    const item = addRequest(await readJson(request));
    const cart = await addItem(item);
    return send(
      response,
      200,
      { success: true, message: `Added ${item.quantity} × ${item.productName} to the cart`, cart },
      { ETag: `"${cart.version}"` },
    );
  }
  throw new Refusal(404, 'NOT_FOUND', 'Not found');
}

async function getCart(customerId) {
  const { rows } = await pool.query(GET_CART, [customerId]);
  if (rows.length === 0) return representation(customerId, [], 0, null, null);
  const [first] = rows;
  const lines = rows.filter((row) => row.product_id !== null).map(toLine);
  return representation(customerId, lines, first.version, first.created_ms, first.updated_ms);
}

async function addItem(item) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const {
      rows: [locked],
    } = await client.query(LOCK_AND_BUMP, [item.customerId]);
    const { rows } = await client.query(LINES, [locked.id]);
    const lines = rows.map(toLine);
    const existing = lines.find((line) => line.productId === item.productId);
    if (!existing && lines.length >= MAX_ITEMS) throw new Refusal(422, 'CART_LIMIT_EXCEEDED', 'Too many products');
    const quantity = (existing?.quantity ?? 0) + item.quantity;
    if (quantity > MAX_QUANTITY) throw new Refusal(422, 'CART_LIMIT_EXCEEDED', 'Too many of one product');
    const line = { productId: item.productId, productName: item.productName, cents: item.cents, quantity };
    await client.query(UPSERT_LINES, [
      locked.id,
      [line.productId],
      [line.productName],
      [centsText(line.cents)],
      [quantity],
    ]);
    await client.query('commit');
    const merged = existing ? lines.map((old) => (old === existing ? line : old)) : [...lines, line];
    return representation(item.customerId, merged, locked.version, locked.created_ms, locked.updated_ms);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function toLine(row) {
  return { productId: row.product_id, productName: row.product_name, cents: cents(row.price), quantity: row.quantity };
}

function representation(customerId, lines, version, createdMs, updatedMs) {
  let totalItems = 0;
  let subtotal = 0;
  const items = lines.map((line) => {
    totalItems += line.quantity;
    subtotal += line.cents * line.quantity;
    return {
      product_id: line.productId,
      product_name: line.productName,
      price: line.cents / 100,
      quantity: line.quantity,
      subtotal: (line.cents * line.quantity) / 100,
    };
  });
  return {
    customer_id: customerId,
    items,
    total_items: totalItems,
    subtotal: subtotal / 100,
    version,
    created_at: createdMs === null ? null : new Date(createdMs).toISOString(),
    updated_at: updatedMs === null ? null : new Date(updatedMs).toISOString(),
  };
}

function addRequest(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Refusal(422, 'VALIDATION_FAILED', 'The body must be an object');
  }
  const price = typeof body.price === 'number' ? String(body.price) : body.price;
  const itemCents = typeof price === 'string' ? cents(price.trim()) : undefined;
  if (itemCents === undefined || itemCents <= 0) throw new Refusal(422, 'VALIDATION_FAILED', 'price is invalid');
  if (!Number.isInteger(body.quantity) || body.quantity < 1 || body.quantity > 1_000_000) {
    throw new Refusal(422, 'VALIDATION_FAILED', 'quantity is invalid');
  }
  return {
    customerId: text(body.customer_id, 'customer_id'),
    productId: text(body.product_id, 'product_id'),
    productName: text(body.product_name, 'product_name'),
    cents: itemCents,
    quantity: body.quantity,
  };
}

function text(value, field) {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed.length < 1 || trimmed.length > 255 || /\p{Cc}/u.test(trimmed)) {
    throw new Refusal(422, 'VALIDATION_FAILED', `${field} is invalid`);
  }
  return trimmed;
}

function cents(amount) {
  const match = AMOUNT.exec(amount);
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
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

function send(response, status, body, headers = {}) {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    ...headers,
  });
  response.end(payload);
}

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeIdleConnections();
  pool.end().finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Started by the bench with an IPC channel: if the bench dies, so does the floor.
process.on('disconnect', stop);

server.listen(Number(process.env.PORT ?? 8100), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`floor server listening on ${process.env.HOST ?? '127.0.0.1'}:${server.address().port}\n`);
});
