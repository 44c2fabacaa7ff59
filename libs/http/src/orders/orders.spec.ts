import { queryDatabase } from '@carthub/persistence/testing';
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

  it('when the page of orders is read, then each order is summarised: all but its items, and how many lines it has', async () => {
    const orderId = await placeOrder('summary', 'widget');
    const page = await server.request('GET', '/api/v1/customers/summary/orders?limit=1');
    // A summary, like its size, does not grow with the order's lines: no items and no reservations.
    const { items, reservations, ...whole } = (await server.request('GET', `/api/v1/orders/${orderId}`)).body;
    expect(items).toEqual([expect.objectContaining({ product_id: 'widget', subtotal: 1 })]);
    expect(reservations).toEqual([]);
    expect(page.body.orders).toEqual([{ ...whole, item_count: 1 }]);
  });

  it('when 100 orders of 100 lines with the longest names are listed, then the page stays small and liveness answers throughout', async () => {
    const name = 'n'.repeat(255);
    const long = 'a'.repeat(255);
    await queryDatabase(
      server.database.url,
      `with placed as (
         insert into orders (customer_id, status, total_amount, subtotal, total_items, payment_method, shipping_address, status_history)
         select $1, 'pending', 989999999901, 989999999901, 9900, 'credit_card',
                jsonb_build_object('street', $3::text, 'city', $3::text, 'state', $3::text, 'zip', $3::text, 'country', 'US'),
                jsonb_build_array(jsonb_build_object('status', 'pending', 'at', '2026-12-01T10:00:00.000Z', 'reason', null))
           from generate_series(1, 100)
         returning id)
       insert into order_items (order_id, product_id, product_name, price, quantity)
       select placed.id, left($3, 252) || lpad(line::text, 3, '0'), $2, 99999999.99, 99 from placed, generate_series(1, 100) line`,
      [long, name, long],
    );
    const page = await server.request('GET', `/api/v1/customers/${long}/orders?limit=100`);
    expect(page.status).toBe(200);
    expect(page.body.orders).toHaveLength(100);
    expect(page.body.orders[0]).toMatchObject({ item_count: 100, total_items: 9900, total_amount: 989999999901 });
    expect(page.text).not.toContain(name);
    // 100 orders of 5 long address fields and a long id are about 160 KB; their lines would add 3 MB.
    expect(Buffer.byteLength(page.text)).toBeLessThan(256 * 1024);

    const whole = await server.request('GET', `/api/v1/orders/${page.body.orders[0].order_id}`);
    expect(whole.body.items).toHaveLength(100);

    const pages = Array.from({ length: 20 }, () => server.request('GET', `/api/v1/customers/${long}/orders?limit=100`));
    const live = await server.request('GET', '/health/live');
    expect(live.status).toBe(200);
    expect((await Promise.all(pages)).map((response) => response.status)).toEqual(Array(20).fill(200));
  });

  it('when a cursor is forged, altered or taken from another customer, then 422 naming cursor, never 500', async () => {
    await placeOrder('forger', 'a');
    await placeOrder('forger', 'b');
    await placeOrder('victim', 'c');
    await placeOrder('victim', 'd');
    const issued = (await server.request('GET', '/api/v1/customers/forger/orders?limit=1')).body.next_cursor;
    const victims = (await server.request('GET', '/api/v1/customers/victim/orders?limit=1')).body.next_cursor;
    expect(issued).toMatch(/^[A-Za-z0-9_-]+$/);
    const altered = (issued[0] === 'A' ? 'B' : 'A') + issued.slice(1);
    for (const cursor of [
      Buffer.from('o:2147483648').toString('base64url'),
      Buffer.from('o:99999999999999999999').toString('base64url'),
      altered,
      `${issued}=`,
      issued.slice(1),
      victims,
      'A'.repeat(22),
      '%00',
    ]) {
      const response = await server.request(
        'GET',
        `/api/v1/customers/forger/orders?cursor=${encodeURIComponent(cursor)}`,
      );
      expect({ cursor, status: response.status }).toEqual({ cursor, status: 422 });
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'cursor' }] });
    }
    const next = await server.request('GET', `/api/v1/customers/forger/orders?cursor=${issued}`);
    expect(next.body.orders).toHaveLength(1);
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
