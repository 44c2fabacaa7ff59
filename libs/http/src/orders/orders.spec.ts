import { startTestServer, TestServer } from '../../test/test-server';

describe('order endpoints', () => {
  let server: TestServer;
  const address = { street: '1 Loop', city: 'Austin', state: 'TX', zip: '78701' };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function placeOrder(customer: string, product: string): Promise<string> {
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customer, product_id: product, product_name: product, price: 1, quantity: 1 },
    });
    const response = await server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customer, payment_method: 'paypal', shipping_address: address },
    });
    expect(response.status).toBe(201);
    return response.body.order_id;
  }

  it('when an order does not exist, then 404 ORDER_NOT_FOUND, whatever the id looks like', async () => {
    for (const id of ['7b0c6a59-6b0e-4a8e-9d0e-1f2a3b4c5d6e', 'not-a-uuid', "1' or '1'='1"]) {
      const response = await server.request('GET', `/api/v1/orders/${encodeURIComponent(id)}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('ORDER_NOT_FOUND');
    }
  });

  it('when a customer has no orders, then an empty page with no cursor', async () => {
    const response = await server.request('GET', '/api/v1/customers/no-orders/orders');
    expect(response.body).toEqual({ orders: [], next_cursor: null });
  });

  it('when pages are walked while new orders arrive, then every earlier order is seen exactly once, newest first', async () => {
    const placed: string[] = [];
    for (let i = 0; i < 12; i++) placed.push(await placeOrder('pager', `p-${i}`));

    const seen: string[] = [];
    let cursor: string | null = null;
    let arrivals = 0;
    do {
      const query: string = cursor ? `?limit=5&cursor=${encodeURIComponent(cursor)}` : '?limit=5';
      const page = await server.request('GET', `/api/v1/customers/pager/orders${query}`);
      expect(page.status).toBe(200);
      expect(page.body.orders.length).toBeLessThanOrEqual(5);
      seen.push(...page.body.orders.map((order: { order_id: string }) => order.order_id));
      cursor = page.body.next_cursor;
      if (arrivals++ < 3) await placeOrder('pager', `new-${arrivals}`); // lands before the cursor, never after it
    } while (cursor);

    expect(seen).toEqual([...placed].reverse());
  });

  it('when the page of orders is read, then each order is complete', async () => {
    const orderId = await placeOrder('complete', 'widget');
    const page = await server.request('GET', '/api/v1/customers/complete/orders?limit=1');
    expect(page.body.orders).toEqual([(await server.request('GET', `/api/v1/orders/${orderId}`)).body]);
    expect(page.body.orders[0]).toMatchObject({ total_items: 1, items: [{ product_id: 'widget', subtotal: 1 }] });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['other=1', 'other'],
  ])('when the query has %s, then 422 naming %s', async (query, field) => {
    const response = await server.request('GET', `/api/v1/customers/pager/orders?${query}`);
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field })]);
  });
});
