import { startTestServer, TestServer } from '../../test/test-server';

describe('cart endpoints', () => {
  let server: TestServer;
  const laptop = { product_id: 'prod-456', product_name: 'Gaming Laptop', price: 1299.99, quantity: 2 };

  beforeAll(async () => {
    server = await startTestServer({ limits: { maxQuantityPerItem: 99, maxItems: 3 } });
  });
  afterAll(() => server.close());

  const add = (customer: string, item: object = laptop, headers?: Record<string, string>) =>
    server.request('POST', '/api/v1/cart/items', { body: { customer_id: customer, ...item }, headers });

  it('when a customer has no cart, then GET answers an empty cart at version 0 with ETag "0"', async () => {
    const response = await server.request('GET', '/api/v1/cart/nobody');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"0"');
    expect(response.body).toEqual({
      customer_id: 'nobody',
      items: [],
      total_items: 0,
      subtotal: 0,
      discount: 0,
      discount_codes: [],
      currency: 'USD',
      version: 0,
      created_at: null,
      updated_at: null,
      expires_at: null,
    });
  });

  it('when an item is added, then the mutation result carries the cart with exact totals', async () => {
    const response = await add('customer-123');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      success: true,
      message: expect.any(String),
      cart: {
        customer_id: 'customer-123',
        items: [
          { product_id: 'prod-456', product_name: 'Gaming Laptop', price: 1299.99, quantity: 2, subtotal: 2599.98 },
        ],
        total_items: 2,
        subtotal: 2599.98,
        version: 1,
      },
    });
    expect(Date.parse(response.body.cart.created_at)).not.toBeNaN();
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('when 0.1 and 0.2 are added, then the subtotal is exactly 0.3, and a price sent as text is accepted', async () => {
    await add('money', { product_id: 'a', product_name: 'A', price: 0.1, quantity: 1 });
    const response = await add('money', { product_id: 'b', product_name: 'B', price: '0.20', quantity: 1 });
    expect(response.text).toContain('"subtotal":0.3,');
    expect(response.body.cart.items.map((item: { price: number }) => item.price)).toEqual([0.1, 0.2]);
  });

  it('when the same product is added again, then quantities merge and the new name and price win', async () => {
    await add('merge');
    const response = await add('merge', { ...laptop, product_name: 'Laptop Pro', price: '1000', quantity: 3 });
    expect(response.body.cart.items).toEqual([
      { product_id: 'prod-456', product_name: 'Laptop Pro', price: 1000, quantity: 5, subtotal: 5000, discount: 0 },
    ]);
  });

  it('when a quantity is updated, then it is set; zero removes the line', async () => {
    await add('update');
    const updated = await server.request('PUT', '/api/v1/cart/update/items/prod-456', { body: { quantity: 7 } });
    expect(updated.status).toBe(200);
    expect(updated.body.cart).toMatchObject({ total_items: 7, version: 2 });
    const removed = await server.request('PUT', '/api/v1/cart/update/items/prod-456', { body: { quantity: 0 } });
    expect(removed.body.cart).toMatchObject({ items: [], version: 3 });
  });

  it('when a line is deleted, then it is gone; deleting it again is 404 ITEM_NOT_FOUND', async () => {
    await add('delete');
    const deleted = await server.request('DELETE', '/api/v1/cart/delete/items/prod-456');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ success: true, cart: { items: [], version: 2 } });
    const again = await server.request('DELETE', '/api/v1/cart/delete/items/prod-456');
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({
      success: false,
      code: 'ITEM_NOT_FOUND',
      request_id: again.headers.get('x-request-id'),
    });
    const update = await server.request('PUT', '/api/v1/cart/delete/items/ghost', { body: { quantity: 1 } });
    expect(update.status).toBe(404);
  });

  it('when a cart is cleared, then it is empty with a new version; clearing an absent cart is fine', async () => {
    await add('clear');
    const cleared = await server.request('DELETE', '/api/v1/cart/clear');
    expect(cleared.status).toBe(200);
    expect(cleared.body.cart).toMatchObject({ items: [], total_items: 0, subtotal: 0, version: 2 });
    const absent = await server.request('DELETE', '/api/v1/cart/never-had-one');
    expect(absent.status).toBe(200);
    expect(absent.body.cart).toMatchObject({ items: [], version: 0 });
  });

  it('when If-Match is stale or malformed, then 412 and nothing changes; when current, the change applies', async () => {
    await add('etag');
    for (const ifMatch of ['"0"', '"2"', 'W/"1"', '1', 'garbage']) {
      const stale = await server.request('DELETE', '/api/v1/cart/etag', { headers: { 'If-Match': ifMatch } });
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('VERSION_MISMATCH');
    }
    const stalePut = await server.request('PUT', '/api/v1/cart/etag/items/prod-456', {
      body: { quantity: 9 },
      headers: { 'If-Match': '"5"' },
    });
    expect(stalePut.status).toBe(412);
    expect((await server.request('GET', '/api/v1/cart/etag')).body).toMatchObject({ version: 1, total_items: 2 });
    const current = await add('etag', laptop, { 'If-Match': '"1"' });
    expect(current.status).toBe(200);
    expect(current.body.cart.version).toBe(2);
  });

  it('when GET carries the current ETag in If-None-Match, then 304 with no body', async () => {
    await add('conditional');
    const response = await server.request('GET', '/api/v1/cart/conditional', { headers: { 'If-None-Match': '"1"' } });
    expect(response.status).toBe(304);
    expect(response.text).toBe('');
  });

  it('when a line would pass 99 or the cart would pass its product limit, then 422 CART_LIMIT_EXCEEDED and nothing changes', async () => {
    await add('limits', { ...laptop, quantity: 98 });
    const over = await add('limits', { ...laptop, quantity: 2 });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('CART_LIMIT_EXCEEDED');
    const overByUpdate = await server.request('PUT', '/api/v1/cart/limits/items/prod-456', { body: { quantity: 100 } });
    expect(overByUpdate.status).toBe(422);
    const wayOver = await add('limits', { ...laptop, quantity: 5_000_000 });
    expect(wayOver.body.code).toBe('CART_LIMIT_EXCEEDED');
    await add('limits', { ...laptop, product_id: 'b', quantity: 1 });
    await add('limits', { ...laptop, product_id: 'c', quantity: 1 });
    const tooMany = await add('limits', { ...laptop, product_id: 'd', quantity: 1 });
    expect(tooMany.body.code).toBe('CART_LIMIT_EXCEEDED');
    expect((await server.request('GET', '/api/v1/cart/limits')).body).toMatchObject({ version: 3, total_items: 100 });
  });

  it('when 50 adds of one product race over HTTP, then the quantity is 50', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => add('race', { ...laptop, quantity: 1 })));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect((await server.request('GET', '/api/v1/cart/race')).body).toMatchObject({ total_items: 50, version: 50 });
  });

  it('when path parameters hold %2F, emoji and quotes, then they are one parameter each, stored verbatim', async () => {
    const customer = "o'brien/😀";
    const product = 'a/b "c"';
    const added = await add(customer, { ...laptop, product_id: product });
    expect(added.body.cart.customer_id).toBe(customer);
    const path = `/api/v1/cart/${encodeURIComponent(customer)}/items/${encodeURIComponent(product)}`;
    expect(path).toContain('%2F');
    const updated = await server.request('PUT', path, { body: { quantity: 4 } });
    expect(updated.status).toBe(200);
    expect(updated.body.cart.items[0]).toMatchObject({ product_id: product, quantity: 4 });
    const fetched = await server.request('GET', `/api/v1/cart/${encodeURIComponent(customer)}`);
    expect(fetched.body.items).toHaveLength(1);
  });
});
