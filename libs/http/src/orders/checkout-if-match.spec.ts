import { countOrders } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

describe('checkout pinned to the cart the shopper reviewed (If-Match)', () => {
  let server: TestServer;
  const address = { street: '123 Main St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const add = (customer: string, product = 'prod-456', price = '10.00', quantity = 1) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customer, product_id: product, product_name: `Product ${product}`, price, quantity },
    });
  const quote = async (customer: string) =>
    (await server.request('POST', `/api/v1/cart/${customer}/quote`, { body: { shipping_address: address } })).body;
  const checkout = (customer: string, headers: Record<string, string>, extra: object = {}) =>
    server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customer, payment_method: 'credit_card', shipping_address: address, ...extra },
      headers,
    });
  const ordersOf = (customer: string) => countOrders(server.database.url, customer);

  it('when the cart moved since its quote, then 412 VERSION_MISMATCH before expected_total, no order, the cart as it was', async () => {
    await add('pinned');
    const reviewed = await quote('pinned');
    await add('pinned', 'extra');

    // expected_total is also wrong: the version is checked first.
    const stale = await checkout('pinned', { 'If-Match': `"${reviewed.cart_version}"` }, { expected_total: 1 });

    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ success: false, code: 'VERSION_MISMATCH' });
    expect(await ordersOf('pinned')).toBe(0);
    expect((await server.request('GET', '/api/v1/cart/pinned')).body.total_items).toBe(2);
  });

  it("when the cart is still at the quote's version (or If-Match is *), then the order is placed", async () => {
    await add('current');
    const reviewed = await quote('current');
    const placed = await checkout(
      'current',
      { 'If-Match': `"${reviewed.cart_version}"` },
      { expected_total: reviewed.total },
    );
    expect(placed.status).toBe(201);

    await add('any');
    expect((await checkout('any', { 'If-Match': '*' })).status).toBe(201);
  });

  it('when two checkouts race with the same If-Match, then one order and the other 412 (compared under the lock)', async () => {
    await add('race');
    const { cart_version } = await quote('race');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => checkout('race', { 'If-Match': `"${cart_version}"` })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 412, 412, 412, 412]);
    expect(await ordersOf('race')).toBe(1);
  });

  it('when If-Match is not a version tag, then 412 and no order', async () => {
    await add('malformed');
    const answer = await checkout('malformed', { 'If-Match': 'W/"1"' });
    expect(answer.status).toBe(412);
    expect(await ordersOf('malformed')).toBe(0);
  });

  it('when the body is invalid, then 422 even with a stale If-Match', async () => {
    await add('invalid');
    const answer = await checkout('invalid', { 'If-Match': '"999"' }, { payment_method: 'iou' });
    expect(answer.status).toBe(422);
  });

  it("when a completed key is replayed with the cart's old version, then the stored order comes back", async () => {
    await add('replayed');
    const { cart_version } = await quote('replayed');
    const headers = { 'Idempotency-Key': 'k-pinned', 'If-Match': `"${cart_version}"` };
    const first = await checkout('replayed', headers);
    expect(first.status).toBe(201);
    await add('replayed', 'after');

    const again = await checkout('replayed', headers);

    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await ordersOf('replayed')).toBe(1);
  });
});
