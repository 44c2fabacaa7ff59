import { RunningCatalogServer } from '@carthub/catalog-server';
import { parseRate, PricingRules, Rate } from '@carthub/domain';
import { queryDatabase } from '@carthub/persistence/testing';
import { CatalogApi, startCatalogApi } from '../../test/catalog-api';
import { startTestServer, TestServer } from '../../test/test-server';

const rules: PricingRules = {
  tax: [{ country: 'US', state: 'WA', rate: parseRate('0.101') as Rate }],
  shipping: { flat: 599, freeOver: 10_000 },
};
const seattle = { street: '1 Pike St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };
const checkoutBody = (customerId: string, extra: object = {}) => ({
  customer_id: customerId,
  payment_method: 'credit_card',
  shipping_address: seattle,
  ...extra,
});

describe('checkout: what the shopper pays', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ pricingRules: rules, settings: { currency: 'EUR' } });
  });
  afterAll(() => server.close());

  const add = (customerId: string, price: number, quantity: number) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: 'p', product_name: 'P', price, quantity },
    });

  it('when a cart is checked out, then the order stores subtotal, tax, shipping and currency, exactly as quoted', async () => {
    await add('pay-quote', 12.99, 2);
    const quote = await server.request('POST', '/api/v1/cart/pay-quote/quote', { body: { shipping_address: seattle } });

    const placed = await server.request('POST', '/api/v1/cart/checkout', { body: checkoutBody('pay-quote') });

    expect(placed.status).toBe(201);
    expect(placed.body.order).toMatchObject({
      subtotal: quote.body.subtotal,
      tax: quote.body.tax,
      shipping: quote.body.shipping,
      total_amount: quote.body.total,
      currency: 'EUR',
    });
    expect([quote.body.tax, quote.body.total, placed.body.total_amount]).toEqual([2.62, 34.59, 34.59]);
    const read = await server.request('GET', `/api/v1/orders/${placed.body.order_id}`);
    expect(read.body).toMatchObject({ subtotal: 25.98, tax: 2.62, shipping: 5.99, total_amount: 34.59 });
  });

  it('when expected_total differs from the total, then 409 TOTAL_CHANGED with the quote, and no order', async () => {
    await add('pay-expect', 10, 1);
    const refused = await server.request('POST', '/api/v1/cart/checkout', {
      body: checkoutBody('pay-expect', { expected_total: 10 }),
    });

    expect([refused.status, refused.body.code]).toEqual([409, 'TOTAL_CHANGED']);
    expect(refused.body.quote).toEqual({
      subtotal: 10,
      discount: 0,
      tax: 1.01,
      shipping: 5.99,
      total: 17,
      currency: 'EUR',
      cart_version: 1,
    });
    expect((await server.request('GET', '/api/v1/customers/pay-expect/orders')).body.orders).toEqual([]);
    const accepted = await server.request('POST', '/api/v1/cart/checkout', {
      body: checkoutBody('pay-expect', { expected_total: 17 }),
    });
    expect(accepted.status).toBe(201);
  });

  it('when an order was placed before orders recorded money, then it reads back with tax 0, shipping 0 and the CURRENCY', async () => {
    const [row] = await queryDatabase<{ order_id: string }>(
      server.database.url,
      `insert into orders (customer_id, total_amount, subtotal, total_items, status_history)
       values ('pay-old', 5, 5, 1, '[{"status": "pending", "at": "2026-11-30T10:00:00.000Z", "reason": null}]')
       returning order_id::text`,
    );
    const read = await server.request('GET', `/api/v1/orders/${row.order_id}`);
    expect(read.body).toMatchObject({ subtotal: 5, tax: 0, shipping: 0, total_amount: 5, currency: 'EUR' });
  });
});

describe('checkout in catalog mode', () => {
  let catalog: RunningCatalogServer;
  let server: TestServer;
  const tea = { product_id: 'tea', name: 'Green Tea', price: '4.50', currency: 'USD', active: true };
  const mug = { product_id: 'mug', name: 'Mug', price: '8.00', currency: 'USD', active: true };

  let api: CatalogApi;

  beforeAll(async () => {
    api = await startCatalogApi([tea, mug]);
    ({ catalog, server } = api);
  });
  afterAll(() => api.close());
  beforeEach(() => api.reset());

  const add = (customerId: string, productId: string) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: productId, quantity: 2 },
    });
  const checkout = (customerId: string, key?: string, extra: object = {}) =>
    server.request('POST', '/api/v1/cart/checkout', {
      body: checkoutBody(customerId, extra),
      headers: key ? { 'Idempotency-Key': key } : {},
    });

  it('when a price changed since the add, then 409 PRICES_CHANGED, the new price is stored, and a retry with the same key places the order', async () => {
    await add('cat-change', 'tea');
    await add('cat-change', 'mug');
    catalog.setProduct({ ...tea, price: '5.25' });

    const refused = await checkout('cat-change', 'k-change', { expected_total: 25 });

    expect([refused.status, refused.body.code]).toEqual([409, 'PRICES_CHANGED']);
    expect(refused.body.changes).toEqual([{ product_id: 'tea', old_price: 4.5, price: 5.25 }]);
    expect(refused.body.unavailable).toEqual([]);
    expect(refused.body.cart).toMatchObject({ version: 3, subtotal: 26.5 });
    const retried = await checkout('cat-change', 'k-change');
    expect(retried.status).toBe(201);
    expect(retried.body.order.items[0]).toMatchObject({ product_id: 'tea', price: 5.25 });
  });

  it('when a product was withdrawn, then 409 PRICES_CHANGED lists it as unavailable, keeps its line and moves no version', async () => {
    await add('cat-gone', 'tea');
    await add('cat-gone', 'mug');
    catalog.setProduct({ ...mug, active: false });

    const refused = await checkout('cat-gone');

    expect([refused.status, refused.body.code, refused.body.unavailable, refused.body.changes]).toEqual([
      409,
      'PRICES_CHANGED',
      ['mug'],
      [],
    ]);
    expect(refused.body.cart).toMatchObject({ version: 2, total_items: 4 });
  });

  it('when only a name changed, then it is refreshed silently and the order is placed', async () => {
    await add('cat-name', 'tea');
    catalog.setProduct({ ...tea, name: 'Sencha Green Tea' });
    const placed = await checkout('cat-name');
    expect(placed.status).toBe(201);
    expect(placed.body.order.items[0].product_name).toBe('Sencha Green Tea');
  });

  it('when the catalog is down at checkout, then 503 CATALOG_UNAVAILABLE and nothing changes', async () => {
    await add('cat-down', 'tea');
    catalog.setFault({ status: 500 });
    const response = await checkout('cat-down');
    catalog.setFault(null);
    expect([response.status, response.body.code]).toEqual([503, 'CATALOG_UNAVAILABLE']);
    expect((await server.request('GET', '/api/v1/cart/cat-down')).body).toMatchObject({ version: 1, total_items: 2 });
  });

  it('when checkout asks the catalog, then it asks once for every line, never from a cache', async () => {
    await add('cat-fresh', 'tea');
    await add('cat-fresh', 'mug');
    const before = catalog.lookups.length;
    await checkout('cat-fresh');
    expect(catalog.lookups.slice(before)).toEqual([['tea', 'mug']]);
  });
});
