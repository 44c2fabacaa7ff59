import { RunningCatalogServer, startCatalogServer } from '@carthub/catalog-server';
import { createTestDatabase, TestDatabase } from '@carthub/persistence/testing';
import { loadConfig } from './config';
import { RunningServer, startServer } from './server';

const laptop = { product_id: 'laptop', name: 'Gaming Laptop', price: 1299.99, currency: 'USD', active: true };
const longName = { product_id: 'long-name', name: 'x'.repeat(300), price: 10, currency: 'USD', active: true };
/** A valid product whose answer is over 2 KiB: the catalog may send fields the API does not read. */
const wordy = { ...laptop, product_id: 'wordy', description: 'y'.repeat(2_048) };

describe('the API in catalog mode', () => {
  let database: TestDatabase;
  let catalog: RunningCatalogServer;
  let server: RunningServer;
  const logs: { level: string; fields: object; message?: string }[] = [];
  const record = (level: string) => (fields: object, message?: string) => logs.push({ level, fields, message });

  beforeAll(async () => {
    database = await createTestDatabase();
    catalog = await startCatalogServer({ products: [laptop, longName, wordy] });
    server = await startServer(
      loadConfig({
        DATABASE_URL: database.url,
        PORT: '0',
        HOST: '127.0.0.1',
        PRICE_SOURCE: 'catalog',
        CATALOG_URL: catalog.url,
        CATALOG_TIMEOUT_MS: '5000',
        CATALOG_MAX_RESPONSE_BYTES: '2048',
      }),
      { info: record('info'), warn: record('warn'), error: record('error') },
    );
  });

  afterAll(async () => {
    await server.shutdown();
    await catalog.close();
    await database.drop();
  });

  const add = (customerId: string, productId: string) =>
    fetch(`${server.url}/api/v1/cart/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: customerId, product_id: productId, quantity: 1 }),
    });

  it('when the catalog describes a product in a way the API cannot use, then 422 PRODUCT_UNAVAILABLE and a warning says why', async () => {
    const refused = await add('mallory', 'long-name');

    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([422, 'PRODUCT_UNAVAILABLE']);
    expect(logs).toContainEqual({
      level: 'warn',
      fields: { product_id: 'long-name', problem: expect.stringMatching(/^name is not a name of 1–255 characters/) },
      message: expect.stringMatching(/unusable/),
    });
    expect((await add('alice', 'laptop')).status).toBe(200);
  });

  it('when an answer is longer than CATALOG_MAX_RESPONSE_BYTES, then 503 CATALOG_UNAVAILABLE', async () => {
    const refused = await add('reader', 'wordy');

    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({
      code: 'CATALOG_UNAVAILABLE',
      error: expect.stringMatching(/over 2048 bytes/),
    });
  });
});
