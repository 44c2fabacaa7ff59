import { countOrders, queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

describe('per-customer quotas', () => {
  let server: TestServer;
  const address = { street: '1 Loop', city: 'Austin', state: 'TX', zip: '78701' };

  beforeAll(async () => {
    server = await startTestServer({ quotas: { ordersPerMinute: 3, liveKeysPerCustomer: 2 } });
  });
  afterAll(() => server.close());

  const add = (customer: string) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customer, product_id: 'pen', product_name: 'Pen', price: 1, quantity: 1 },
    });
  const checkout = (customer: string, key?: string) =>
    server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customer, payment_method: 'paypal', shipping_address: address },
      headers: key ? { 'Idempotency-Key': key } : {},
    });
  const ordersOf = (customer: string) => countOrders(server.database.url, customer);

  it('when a customer places more orders in a minute than allowed, then 429 RATE_LIMITED with Retry-After, and the cart is kept', async () => {
    for (let i = 0; i < 3; i++) {
      await add('eager');
      expect((await checkout('eager')).status).toBe(201);
    }
    await add('eager');
    const refused = await checkout('eager');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ success: false, code: 'RATE_LIMITED' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await ordersOf('eager')).toBe(3);
    expect((await server.request('GET', '/api/v1/cart/eager')).body.total_items).toBe(1);

    await add('patient');
    expect((await checkout('patient')).status).toBe(201);

    await queryDatabase(
      server.database.url,
      `update orders set created_at = created_at - interval '61 seconds' where customer_id = 'eager'`,
    );
    expect((await checkout('eager')).status).toBe(201);
  });

  it('when a customer holds as many live idempotency keys as allowed, then a new key is 429 while a stored one still replays', async () => {
    for (const key of ['k-1', 'k-2']) {
      await add('keyed');
      expect((await checkout('keyed', key)).status).toBe(201);
    }
    await add('keyed');
    const refused = await checkout('keyed', 'k-3');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    const replayed = await checkout('keyed', 'k-1');
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');

    await add('other-keyed');
    expect((await checkout('other-keyed', 'k-3')).status).toBe(201);

    await queryDatabase(
      server.database.url,
      `update idempotency_keys set expires_at = now() - interval '1 second' where customer_id = 'keyed' and key = 'k-1'`,
    );
    expect((await checkout('keyed', 'k-3')).status).toBe(201);
  });
});
