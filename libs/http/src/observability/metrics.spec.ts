import { startTestServer, TestServer } from '../../test/test-server';

describe('/metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('when requests were served, then Prometheus text has their durations by route and status, business counters and process metrics', async () => {
    const address = { street: 's', city: 'c', state: 's', zip: 'z' };
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'm', product_id: 'p', product_name: 'P', price: 1, quantity: 3 },
    });
    await server.request('GET', '/api/v1/cart/m');
    const checkout = { customer_id: 'm', payment_method: 'paypal', shipping_address: address };
    await server.request('POST', '/api/v1/cart/checkout', { body: checkout, headers: { 'Idempotency-Key': 'once' } });
    await server.request('POST', '/api/v1/cart/checkout', { body: checkout, headers: { 'Idempotency-Key': 'once' } });

    const response = await server.request('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text: string = response.body;
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/cart\/:customer_id",status="200"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/cart\/items",status="200"\} 1/,
    );
    expect(text).toContain('carthub_cart_items_added_total 3');
    expect(text).toContain('carthub_checkouts_total 1');
    expect(text).toContain('carthub_idempotent_replays_total 1');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).not.toMatch(/route="\/api\/v1\/cart\/m"/);
  });
});
