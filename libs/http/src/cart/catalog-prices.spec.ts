import { HttpCatalog } from '@carthub/catalog';
import { RunningCatalogServer, startCatalogServer } from '@carthub/catalog-server';
import { CatalogApi, startCatalogApi } from '../../test/catalog-api';
import { startTestServer, TestServer } from '../../test/test-server';

const laptop = { product_id: 'laptop', name: 'Gaming Laptop', price: 1299.99, currency: 'USD', active: true };
const mug = { product_id: 'mug', name: 'Mug', price: '7.50', currency: 'USD', active: true };
const retired = { product_id: 'retired', name: 'Old Phone', price: 99, currency: 'USD', active: false };

describe('catalog prices on add (PRICE_SOURCE=catalog)', () => {
  let catalog: RunningCatalogServer;
  let server: TestServer;

  let api: CatalogApi;

  beforeAll(async () => {
    api = await startCatalogApi([laptop, mug, retired]);
    ({ catalog, server } = api);
  });
  afterAll(() => api.close());
  beforeEach(() => api.reset());

  const add = (customerId: string, extra: object = {}) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: 'laptop', quantity: 1, ...extra },
    });
  const cartOf = async (customerId: string) => (await server.request('GET', `/api/v1/cart/${customerId}`)).body;

  it("when the browser sends its own price, then the catalog's is stored and a PRICE_CHANGED warning carries both", async () => {
    const response = await add('cat-cheat', { product_name: 'Laptop', price: 0.01 });

    expect(response.status).toBe(200);
    expect(response.body.cart.items).toEqual([
      {
        product_id: 'laptop',
        product_name: 'Gaming Laptop',
        price: 1299.99,
        quantity: 1,
        subtotal: 1299.99,
        discount: 0,
      },
    ]);
    expect(response.body.warnings).toEqual([
      { code: 'PRICE_CHANGED', product_id: 'laptop', price: 1299.99, client_price: 0.01 },
    ]);
  });

  it('when no name or price is sent, or the same price, then the catalog names and prices the line, with no warning', async () => {
    const bare = await add('cat-bare');
    const same = await add('cat-bare', { price: '1299.99' });

    expect([bare.status, bare.body.warnings, same.body.warnings]).toEqual([200, [], []]);
    expect(same.body.cart.items[0]).toMatchObject({ product_name: 'Gaming Laptop', quantity: 2 });
  });

  it('when a price sent is malformed, then 422 as in client mode, before the catalog is asked', async () => {
    const asked = catalog.lookups.length;
    const response = await add('cat-bad', { price: 19.999 });
    expect([response.status, response.body.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect(catalog.lookups.length).toBe(asked);
  });

  it.each([
    ['not in the catalog', 'ghost', 'PRODUCT_NOT_FOUND'],
    ['inactive', 'retired', 'PRODUCT_UNAVAILABLE'],
  ])('when the product is %s (%s), then 422 %s and nothing is stored', async (_, productId, code) => {
    const response = await add(`cat-${productId}`, { product_id: productId });

    expect([response.status, response.body.code]).toEqual([422, code]);
    expect(await cartOf(`cat-${productId}`)).toMatchObject({ version: 0, items: [] });
  });

  it.each([
    ['answers 500', { status: 500 }],
    ['is slower than the timeout', { delayMs: 1_000 }],
  ])('when the catalog %s, then 503 CATALOG_UNAVAILABLE with Retry-After and nothing changes', async (_, fault) => {
    await add('cat-down');
    const before = await cartOf('cat-down');
    catalog.setFault(fault);

    const response = await add('cat-down');

    expect([response.status, response.body.code]).toEqual([503, 'CATALOG_UNAVAILABLE']);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await cartOf('cat-down')).toEqual(before);
  });

  it('when a cart is read or a quantity changed, then the catalog is not asked and the price stays', async () => {
    await add('cat-quiet');
    catalog.setProduct({ ...laptop, price: 1499.99 });
    const asked = catalog.lookups.length;

    await server.request('GET', '/api/v1/cart/cat-quiet');
    const updated = await server.request('PUT', '/api/v1/cart/cat-quiet/items/laptop', { body: { quantity: 3 } });

    expect(catalog.lookups.length).toBe(asked);
    expect(updated.body.cart.items[0]).toMatchObject({ price: 1299.99, quantity: 3 });
    expect(updated.body.warnings).toEqual([]);
  });

  it('when the OpenAPI document is read, then name and price are optional on add', async () => {
    const document = (await server.request('GET', '/openapi.json')).body;
    const schema = document.paths['/api/v1/cart/items'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['customer_id', 'product_id', 'quantity']);
  });
});

describe('the catalog unreachable', () => {
  it('when nothing listens at CATALOG_URL, then 503 CATALOG_UNAVAILABLE and nothing is stored', async () => {
    const gone = await startCatalogServer({ products: [laptop] });
    await gone.close();
    const server = await startTestServer({ catalog: new HttpCatalog({ url: gone.url, currency: 'USD' }) });
    try {
      const response = await server.request('POST', '/api/v1/cart/items', {
        body: { customer_id: 'cat-gone', product_id: 'laptop', quantity: 1 },
      });
      expect([response.status, response.body.code]).toEqual([503, 'CATALOG_UNAVAILABLE']);
      expect((await server.request('GET', '/api/v1/cart/cat-gone')).body.version).toBe(0);
    } finally {
      await server.close();
    }
  });
});
