// The floor: the cheapest correct server for the bench's four operations, on
// node:http and pg with no framework, against the same schema, answering the
// API's JSON shapes and enforcing what SQL enforces cheaply (99 per line).
// One statement per operation, checkout included (a second try behind the cart's lock only
// when another change came in between); what the API spends beyond this is what its
// framework, validation, ORM and extra round trips cost. The operations are in
// floor-handlers.mjs, shared with the koa floors; this is their routing on node:http.
//   PORT=8100 DATABASE_URL=postgres://… node tools/bench/floor-server.mjs
// Every change writes the rows the API writes: each cart change its event, checkout the
// order, its lines, the completed Idempotency-Key and both events, in the same statement.
// What it leaves out (the bench never needs it): If-Match, the 100-line limit, the
// checkout quotas, tax and shipping rules, catalog prices, logging and metrics. See tools/bench/README.md.
import http from 'node:http';
import { floorHandlers, floorPool, serveUntilStopped } from './floor-handlers.mjs';

const CART_PATH = /^\/api\/v1\/cart\/([^/]+)$/;
const LINE_PATH = /^\/api\/v1\/cart\/([^/]+)\/items\/([^/]+)$/;

const pool = floorPool('carthub-floor');
const floor = floorHandlers(pool);

const server = http.createServer(async (request, response) => {
  const { status, body, headers } = await route(request);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
});

function route(request) {
  const path = request.url.split('?', 1)[0];
  if (request.method === 'GET') {
    const match = CART_PATH.exec(path);
    if (match) return floor.getCart(request, { customer_id: decode(match[1]) });
  }
  if (request.method === 'POST' && path === '/api/v1/cart/items') return floor.addItem(request, {});
  if (request.method === 'PUT') {
    const match = LINE_PATH.exec(path);
    if (match) return floor.setQuantity(request, { customer_id: decode(match[1]), product_id: decode(match[2]) });
  }
  if (request.method === 'POST' && path === '/api/v1/cart/checkout') return floor.checkout(request, {});
  return floor.notFound(request, {});
}

/** As @koa/router decodes a parameter: text that is not valid percent-encoding stays as it came. */
function decode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

serveUntilStopped('floor server', server, pool);
