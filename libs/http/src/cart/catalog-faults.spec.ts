import { HttpCatalog, HttpCatalogOptions } from '@carthub/catalog';
import { FakeCatalog, paddedAnswer, RecordingObserver, redirectTo, startFakeCatalog } from '@carthub/catalog/testing';
import { RunningCatalogServer, startCatalogServer } from '@carthub/catalog-server';
import { startTestServer, TestServer } from '../../test/test-server';

const laptop = { product_id: 'laptop', name: 'Gaming Laptop', price: 1299.99, currency: 'USD', active: true };
const mug = { product_id: 'mug', name: 'Mug', price: '7.50', currency: 'USD', active: true };
/** A product the catalog describes in a way the API cannot take: a name over 255 characters. */
const longName = { product_id: 'long-name', name: 'x'.repeat(300), price: 10, currency: 'USD', active: true };
const seattle = { street: '1 Pike St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };

/** The API against a catalog at `url` with the shipped breaker (5 failures, 5 s) and a generous timeout. */
const apiWithCatalog = (url: string, options: Partial<HttpCatalogOptions> = {}) =>
  startTestServer({ catalog: new HttpCatalog({ url, currency: 'USD', timeoutMs: 5_000, ...options }) });

const add = (server: TestServer, customerId: string, productId: string) =>
  server.request('POST', '/api/v1/cart/items', {
    body: { customer_id: customerId, product_id: productId, quantity: 1 },
  });

describe('a malformed product in the catalog', () => {
  let catalog: RunningCatalogServer;
  let server: TestServer;
  const observer = new RecordingObserver();

  beforeAll(async () => {
    catalog = await startCatalogServer({ products: [laptop, mug, longName] });
    server = await apiWithCatalog(catalog.url, { observer, cacheTtlMs: 0 });
  });
  afterAll(async () => {
    await server.close();
    await catalog.close();
  });

  it('when it is added again and again, then each add is 422 PRODUCT_UNAVAILABLE and other shoppers still add', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const refused = await add(server, 'mallory', 'long-name');
      statuses.push([refused.status, refused.body.code]);
    }
    const other = await add(server, 'alice', 'laptop');

    expect(statuses).toEqual(Array(12).fill([422, 'PRODUCT_UNAVAILABLE']));
    expect([other.status, other.body.cart.items[0]?.product_name]).toEqual([200, 'Gaming Laptop']);
    expect(observer.states).toEqual(['closed']);
    expect(observer.unusable[0]).toEqual({ productId: 'long-name', problem: expect.stringMatching(/^name /) });
    expect((await server.request('GET', '/api/v1/cart/mallory')).body.version).toBe(0);
  });

  it('when one line of a cart turned malformed, then checkout lists it unavailable and reprices the rest', async () => {
    await add(server, 'bob', 'mug');
    await add(server, 'bob', 'laptop');
    catalog.setProduct({ ...mug, price: '7.505' });
    catalog.setProduct({ ...laptop, price: 1199.99 });

    const refused = await server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: 'bob', payment_method: 'credit_card', shipping_address: seattle },
    });

    expect([refused.status, refused.body.code]).toEqual([409, 'PRICES_CHANGED']);
    expect(refused.body.unavailable).toEqual(['mug']);
    expect(refused.body.changes).toEqual([{ product_id: 'laptop', old_price: 1299.99, price: 1199.99 }]);
    expect(observer.unusable.at(-1)).toEqual({ productId: 'mug', problem: expect.stringMatching(/^price /) });
  });
});

describe('what the catalog client will not take', () => {
  let fake: FakeCatalog;
  let server: TestServer;

  afterEach(async () => {
    await server.close();
    await fake.close();
  });

  it('when the catalog redirects, then 503 CATALOG_UNAVAILABLE and the server it points at is not asked', async () => {
    const elsewhere = await startCatalogServer({ products: [laptop] });
    try {
      fake = await startFakeCatalog(redirectTo(`${elsewhere.url}/products/lookup`));
      server = await apiWithCatalog(fake.url);

      const refused = await add(server, 'redirected', 'laptop');

      expect([refused.status, refused.body.code]).toEqual([503, 'CATALOG_UNAVAILABLE']);
      expect(refused.body.error).toMatch(/HTTP 307/);
      expect(fake.requests).toBe(1);
      expect(elsewhere.lookups).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('when the answer is far over the size cap, then 503 CATALOG_UNAVAILABLE and the client stops reading', async () => {
    const huge = paddedAnswer(64 * 1024 * 1024, [laptop]);
    fake = await startFakeCatalog(huge.respond);
    // A timeout the whole body would fit in: only the cap may stop the read.
    server = await apiWithCatalog(fake.url, { timeoutMs: 25_000 });

    const refused = await add(server, 'flooded', 'laptop');

    expect([refused.status, refused.body.code]).toEqual([503, 'CATALOG_UNAVAILABLE']);
    expect(refused.body.error).toMatch(/over \d+ bytes/);
    expect(await huge.ended).toBe('closed early');
  });
});
