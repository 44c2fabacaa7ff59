// A reference product catalog for development, the docs and tests: it serves
// the contract's `POST /products/lookup` from a JSON file of products.
//   PORT=8010 CATALOG_PRODUCTS_FILE=tools/catalog/products.json node tools/catalog/server.mjs
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PRODUCTS_FILE = fileURLToPath(new URL('products.json', import.meta.url));
const LOOKUP_PATH = '/products/lookup';
const BODY_LIMIT = 64 * 1024;
const MAX_IDS = 1_000;

/** Reads a JSON array of products; each needs a unique, non-empty string `product_id`. */
export function readProductsFile(file) {
  const products = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(products)) throw new Error(`${file}: expected a JSON array of products`);
  return products;
}

function indexProducts(products) {
  const byId = new Map();
  for (const product of products) {
    const id = product?.product_id;
    if (typeof id !== 'string' || id === '')
      throw new Error(`product without a string product_id: ${JSON.stringify(product)}`);
    if (byId.has(id)) throw new Error(`product_id ${JSON.stringify(id)} appears twice`);
    byId.set(id, product);
  }
  return byId;
}

class BadRequest extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Starts the catalog on 127.0.0.1 (`port` 0 picks a free one). Products are
 * served exactly as given, so a test can also serve a malformed one.
 * `fault` makes every lookup fail until cleared: `{ status }` answers that
 * status, `{ delayMs }` answers that much later.
 * Resolves { url, port, lookups, setProduct, removeProduct, setFault, close }.
 */
export async function startCatalogServer({
  port = 0,
  host = '127.0.0.1',
  productsFile,
  products = readProductsFile(productsFile ?? DEFAULT_PRODUCTS_FILE),
  log = () => undefined,
} = {}) {
  const byId = indexProducts(products);
  /** The ids of every lookup served, in order: tests count calls with it. */
  const lookups = [];
  let fault = null;

  const server = http.createServer((request, response) => {
    const started = process.hrtime.bigint();
    let ids = [];
    response.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${request.method} ${request.url} ${response.statusCode} ids=${ids.length} ${ms.toFixed(1)}ms`);
    });
    handle(request)
      .then(async (asked) => {
        ids = asked;
        lookups.push(asked);
        if (fault?.delayMs) await sleep(fault.delayMs, response);
        if (fault?.status) return send(response, fault.status, { error: 'fault injected' });
        const found = asked.filter((id) => byId.has(id)).map((id) => byId.get(id));
        send(response, 200, { products: found });
      })
      .catch((error) => {
        const status = error instanceof BadRequest ? error.status : 500;
        if (status === 500) process.stderr.write(`catalog: ${error.stack ?? error}\n`);
        send(response, status, { error: status === 500 ? 'internal error' : error.message });
      });
  });
  // Keep-alive connections would otherwise hold close() open until they time out.
  const closeAll = () => server.closeAllConnections();

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address();
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    lookups,
    /** Adds or replaces a product (by product_id), e.g. to change a price between two calls. */
    setProduct(product) {
      indexProducts([product]);
      byId.set(product.product_id, product);
    },
    removeProduct(productId) {
      byId.delete(productId);
    },
    /** `{ status }`, `{ delayMs }` (or both), or null to answer normally again. */
    setFault(next) {
      fault = next ?? null;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        closeAll();
      });
    },
  };
}

async function handle(request) {
  const path = new URL(request.url ?? '/', 'http://catalog').pathname;
  if (path !== LOOKUP_PATH) throw new BadRequest(404, `no such path: ${path}`);
  if (request.method !== 'POST') throw new BadRequest(405, `use POST for ${LOOKUP_PATH}`);
  const body = await readBody(request);
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequest(400, 'the body is not JSON');
  }
  const ids = parsed?.ids;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new BadRequest(400, 'expected {"ids": [string, …]}');
  }
  if (ids.length > MAX_IDS) throw new BadRequest(400, `at most ${MAX_IDS} ids per lookup`);
  return ids;
}

async function readBody(request) {
  let body = '';
  for await (const chunk of request.setEncoding('utf8')) {
    body += chunk;
    if (body.length > BODY_LIMIT) throw new BadRequest(413, `the body exceeds ${BODY_LIMIT} bytes`);
  }
  return body;
}

/** Waits, but not for a caller that already gave up. */
function sleep(ms, response) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    response.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function send(response, status, body) {
  if (response.writableEnded || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function main() {
  const port = Number(process.env.PORT ?? 8010);
  const productsFile = process.env.CATALOG_PRODUCTS_FILE ?? DEFAULT_PRODUCTS_FILE;
  const catalog = await startCatalogServer({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    productsFile,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`catalog: serving ${productsFile} on ${catalog.url}\n`);
  const stop = () => catalog.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// No top-level await: tests load this module with require().
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`catalog: ${error.stack ?? error}\n`);
    process.exit(1);
  });
}
