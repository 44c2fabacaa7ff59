import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RunningCatalogServer, startCatalogServer } from '@carthub/catalog-server';

const SERVER_SCRIPT = join(__dirname, '../../../tools/catalog/server.mjs');

const lookup = (url: string, body: string, method = 'POST') =>
  fetch(`${url}/products/lookup`, { method, body: method === 'POST' ? body : undefined });

describe('the reference catalog server', () => {
  let catalog: RunningCatalogServer;

  beforeEach(async () => {
    catalog = await startCatalogServer();
  });

  afterEach(() => catalog.close());

  it('when started without products, then it serves tools/catalog/products.json', async () => {
    const response = await lookup(catalog.url, JSON.stringify({ ids: ['prod-456', 'prod-900', 'prod-nope'] }));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      products: [
        { product_id: 'prod-456', name: 'Gaming Laptop', price: 1299.99, currency: 'USD', active: true },
        expect.objectContaining({ product_id: 'prod-900', active: false }),
      ],
    });
  });

  it.each([
    ['the body is not JSON', 400, '{"ids": ['],
    ['ids is not an array', 400, '{"ids": "prod-456"}'],
    ['an id is not a string', 400, '{"ids": [456]}'],
    ['the body is null', 400, 'null'],
    ['there are more than 1,000 ids', 400, JSON.stringify({ ids: Array.from({ length: 1_001 }, (_, i) => `p${i}`) })],
    ['the body exceeds 64 KiB', 413, JSON.stringify({ ids: ['x'.repeat(70_000)] })],
  ])('when %s, then it answers %d', async (_case, status, body) => {
    const response = await lookup(catalog.url, body);

    expect(response.status).toBe(status);
    expect(catalog.lookups).toEqual([]);
  });

  it('when another path is asked, then it answers 404; another method, 405', async () => {
    expect((await fetch(`${catalog.url}/products`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await lookup(catalog.url, '', 'GET')).status).toBe(405);
  });

  it('when a fault is set, then lookups answer it until it is cleared', async () => {
    catalog.setFault({ status: 503, delayMs: 5 });
    const failing = await lookup(catalog.url, '{"ids": ["prod-456"]}');
    catalog.setFault(null);
    const working = await lookup(catalog.url, '{"ids": ["prod-456"]}');

    expect([failing.status, working.status]).toEqual([503, 200]);
    expect(catalog.lookups).toEqual([['prod-456'], ['prod-456']]);
  });

  it('when a product is set without a product_id, then it is refused', () => {
    expect(() => catalog.setProduct({ product_id: '' })).toThrow(/product_id/);
  });

  it('when products list one id twice, then it does not start', async () => {
    const twice = { product_id: 'p1', name: 'One', price: 1, currency: 'USD', active: true };
    await expect(startCatalogServer({ products: [twice, twice] })).rejects.toThrow(/appears twice/);
  });
});

describe('the reference catalog process (npm run catalog)', () => {
  let child: ChildProcess | undefined;
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'carthub-catalog-'));
  });

  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(folder, { recursive: true, force: true });
  });

  it('when run with PORT and CATALOG_PRODUCTS_FILE, then it serves that file and logs one line per request', async () => {
    const productsFile = join(folder, 'products.json');
    writeFileSync(
      productsFile,
      JSON.stringify([{ product_id: 'p1', name: 'Tea', price: '4.50', currency: 'USD', active: true }]),
    );
    child = spawn(process.execPath, [SERVER_SCRIPT], {
      env: { ...process.env, PORT: '0', CATALOG_PRODUCTS_FILE: productsFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const started = (await lines.next()).value as string;
    const url = /on (http:\/\/\S+)$/.exec(started)![1];

    const response = await lookup(url, '{"ids": ["p1"]}');
    const logged = (await lines.next()).value as string;

    expect(await response.json()).toEqual({
      products: [{ product_id: 'p1', name: 'Tea', price: '4.50', currency: 'USD', active: true }],
    });
    expect(logged).toMatch(/^POST \/products\/lookup 200 ids=1 /);
  });
});
