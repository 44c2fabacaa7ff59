import { Client } from 'pg';
import { countOrders, queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

describe('checkout', () => {
  let server: TestServer;
  const address = { street: '123 Main St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };
  const checkoutBody = (customer: string) => ({
    customer_id: customer,
    payment_method: 'credit_card',
    shipping_address: address,
  });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const add = (customer: string, product = 'prod-456', price: number | string = 1299.99, quantity = 2) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customer, product_id: product, product_name: `Product ${product}`, price, quantity },
    });
  const checkout = (customer: string, headers?: Record<string, string>, body: object = checkoutBody(customer)) =>
    server.request('POST', '/api/v1/cart/checkout', { body, headers });
  const ordersOf = (customer: string) => countOrders(server.database.url, customer);

  it('when a cart is checked out, then 201 with the order, its Location, and an emptied cart', async () => {
    await add('happy');
    await add('happy', 'mouse', '19.99', 1);
    const response = await checkout('happy');

    expect(response.status).toBe(201);
    const orderId = response.body.order_id;
    expect(orderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(response.headers.get('location')).toBe(`/api/v1/orders/${orderId}`);
    expect(response.body).toEqual({
      success: true,
      message: expect.any(String),
      order_id: orderId,
      total_amount: 2619.97,
      order: {
        order_id: orderId,
        customer_id: 'happy',
        status: 'pending',
        subtotal: 2619.97,
        discount: 0,
        discount_codes: [],
        tax: 0,
        shipping: 0,
        total_amount: 2619.97,
        currency: 'USD',
        total_items: 3,
        payment_method: 'credit_card',
        shipping_address: address,
        email: null,
        items: [
          {
            product_id: 'prod-456',
            product_name: 'Product prod-456',
            price: 1299.99,
            quantity: 2,
            subtotal: 2599.98,
            discount: 0,
          },
          {
            product_id: 'mouse',
            product_name: 'Product mouse',
            price: 19.99,
            quantity: 1,
            subtotal: 19.99,
            discount: 0,
          },
        ],
        version: 1,
        status_history: [{ status: 'pending', at: response.body.order.created_at, reason: null }],
        payment_id: null,
        tracking_number: null,
        reservations: [],
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    });
    const cart = await server.request('GET', '/api/v1/cart/happy');
    expect(cart.body).toMatchObject({ items: [], total_items: 0, version: 3 });
    const fetched = await server.request('GET', `/api/v1/orders/${orderId}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(response.body.order);
  });

  it('when the cart is empty or absent, then 409 CART_EMPTY and no order', async () => {
    const absent = await checkout('nobody');
    expect(absent.status).toBe(409);
    expect(absent.body.code).toBe('CART_EMPTY');
    await add('emptied');
    await server.request('DELETE', '/api/v1/cart/emptied');
    expect((await checkout('emptied')).body.code).toBe('CART_EMPTY');
    expect(await ordersOf('nobody')).toBe(0);
    expect(await ordersOf('emptied')).toBe(0);
  });

  it('when the largest possible cart is checked out, then its total keeps every cent', async () => {
    for (let i = 0; i < 100; i++) await add('whale', `p-${i}`, '99999999.99', 99);
    const response = await checkout('whale');
    expect(response.status).toBe(201);
    expect(response.text).toContain('"total_amount":989999999901,');
    const [row] = await queryDatabase<{ total_amount: string }>(
      server.database.url,
      'select total_amount from orders where order_id = $1',
      [response.body.order_id],
    );
    expect(row.total_amount).toBe('989999999901.00');
    const stored = await server.request('GET', `/api/v1/orders/${response.body.order_id}`);
    expect(stored.text).toContain('"total_amount":989999999901,');
    expect(stored.body).toEqual(response.body.order);
  });

  it('when 10 checkouts of one cart race without a key, then exactly one order: one 201 and nine CART_EMPTY', async () => {
    await add('race');
    const responses = await Promise.all(Array.from({ length: 10 }, () => checkout('race')));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409 && r.body.code === 'CART_EMPTY')).toHaveLength(9);
    expect(await ordersOf('race')).toBe(1);
  });

  it('when 10 checkouts race with one Idempotency-Key, then one order, and every 2xx carries its id', async () => {
    await add('keyed-race');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => checkout('keyed-race', { 'Idempotency-Key': 'race-key' })),
    );
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.order_id)).size).toBe(1);
    responses
      .filter((r) => r.status !== 201)
      .forEach((r) => expect(r.body).toMatchObject({ success: false, code: 'IDEMPOTENCY_KEY_IN_USE' }));
    expect(await ordersOf('keyed-race')).toBe(1);
  });

  it('when 30 checkouts with one Idempotency-Key race through two instances of the API, then one order with its two events, and all 30 answer it byte for byte', async () => {
    // A second instance shares nothing in process with the first: only PostgreSQL orders them.
    const other = await startTestServer({ database: server.database });
    try {
      await add('two-pods');
      await add('two-pods', 'mouse', '19.99', 1);
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 === 0 ? server : other).request('POST', '/api/v1/cart/checkout', {
            body: checkoutBody('two-pods'),
            headers: { 'Idempotency-Key': 'two-pods-key' },
          }),
        ),
      );
      // A repeat that arrives while the first runs waits for it, then answers what it placed.
      expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
      expect(new Set(responses.map((r) => r.text)).size).toBe(1);
      expect(responses.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
      expect(await ordersOf('two-pods')).toBe(1);
      const events = await queryDatabase<{ type: string; aggregate_id: string }>(
        server.database.url,
        `select type, aggregate_id from outbox_events
          where (aggregate_type = 'cart' and aggregate_id = 'two-pods' and type = 'cart.cleared')
             or (aggregate_type = 'order' and aggregate_id = $1)`,
        [responses[0].body.order_id],
      );
      expect(events.map((event) => event.type).sort()).toEqual(['cart.cleared', 'order.placed']);
    } finally {
      await other.close();
    }
  });

  it('when the connection dies while the order is being written, then nothing of it is kept and the key places it on retry', async () => {
    await add('dies');
    const holder = new Client({ connectionString: server.database.url });
    await holder.connect();
    try {
      // The checkout's writes wait behind this lock, inside its transaction; then its connection is killed.
      await holder.query('begin');
      await holder.query('lock table outbox_events in share mode');
      const checkingOut = checkout('dies', { 'Idempotency-Key': 'k-dies' });
      const pid = await waitForLockWaiter(holder);
      await holder.query('select pg_terminate_backend($1)', [pid]);
      const failed = await checkingOut;
      expect(failed.status).toBe(503);
      await holder.query('rollback');
    } finally {
      await holder.end();
    }
    expect(await ordersOf('dies')).toBe(0);
    expect((await server.request('GET', '/api/v1/cart/dies')).body).toMatchObject({ total_items: 2, version: 1 });
    const keys = await queryDatabase(server.database.url, `select 1 from idempotency_keys where key = 'k-dies'`);
    expect(keys).toEqual([]);
    const retried = await checkout('dies', { 'Idempotency-Key': 'k-dies' });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('when a completed key is replayed, then the first status and body come back and nothing new is made', async () => {
    await add('replay');
    const first = await checkout('replay', { 'Idempotency-Key': 'k-1' });
    await add('replay', 'later');
    const again = await checkout('replay', { 'Idempotency-Key': 'k-1' });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await ordersOf('replay')).toBe(1);
    expect((await server.request('GET', '/api/v1/cart/replay')).body.total_items).toBe(2);
  });

  it('when an order of odd prices and names is replayed, then it is rendered again to the very same bytes', async () => {
    await add('replay-odd', 'ünïcode "quoted" ☃', '0.10', 3);
    await add('replay-odd', 'second', 19.99, 1);
    await add('replay-odd', 'third', '99999999.99', 99);
    const first = await checkout('replay-odd', { 'Idempotency-Key': 'odd' });
    const again = await checkout('replay-odd', { 'Idempotency-Key': 'odd' });
    expect(first.status).toBe(201);
    expect(again.text).toBe(first.text);
  });

  it('when a key is completed, then its record names the order placed and keeps no HTTP answer', async () => {
    await add('record');
    const first = await checkout('record', { 'Idempotency-Key': 'rec' });
    const [record] = await queryDatabase(
      server.database.url,
      `select o.order_id::text as placed, to_jsonb(k) ? 'response_body' as has_body
         from idempotency_keys k join orders o on o.id = k.order_id where k.customer_id = 'record'`,
    );
    expect(record).toEqual({ placed: first.body.order_id, has_body: false });
  });

  it('when a key is reused with another body, then 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await add('reuse');
    await checkout('reuse', { 'Idempotency-Key': 'k-2' });
    const other = await checkout(
      'reuse',
      { 'Idempotency-Key': 'k-2' },
      { ...checkoutBody('reuse'), payment_method: 'paypal' },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('when a keyed request fails, then nothing is stored and the same key works once the cause is fixed', async () => {
    const failed = await checkout('retry', { 'Idempotency-Key': 'k-3' });
    expect(failed.body.code).toBe('CART_EMPTY');
    await add('retry');
    const retried = await checkout('retry', { 'Idempotency-Key': 'k-3' });
    expect(retried.status).toBe(201);
  });

  it('when two customers use the same key, then each gets an order of their own', async () => {
    await add('scope-a');
    await add('scope-b');
    const a = await checkout('scope-a', { 'Idempotency-Key': 'shared' });
    const b = await checkout('scope-b', { 'Idempotency-Key': 'shared' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.order_id).not.toBe(b.body.order_id);
  });

  it('when the order lines cannot be stored, then neither an order exists nor is the cart emptied', async () => {
    await queryDatabase(
      server.database.url,
      `alter table order_items add constraint test_poison check (product_id <> 'poison')`,
    );
    try {
      await add('atomic', 'fine');
      await add('atomic', 'poison');
      const response = await checkout('atomic', { 'Idempotency-Key': 'k-atomic' });
      expect(response.status).toBe(500);
      expect(await ordersOf('atomic')).toBe(0);
      expect((await server.request('GET', '/api/v1/cart/atomic')).body).toMatchObject({ total_items: 4, version: 2 });
      const keys = await queryDatabase(server.database.url, `select 1 from idempotency_keys where key = 'k-atomic'`);
      expect(keys).toEqual([]);
    } finally {
      await queryDatabase(server.database.url, 'alter table order_items drop constraint test_poison');
    }
  });

  it.each([
    ['an unknown payment method', { payment_method: 'bitcoin' }, 'payment_method'],
    ['a missing street', { shipping_address: { ...address, street: undefined } }, 'shipping_address.street'],
    ['an unknown country', { shipping_address: { ...address, country: 'XX' } }, 'shipping_address.country'],
    ['a three-letter country', { shipping_address: { ...address, country: 'USA' } }, 'shipping_address.country'],
    ['an extra field', { coupon: 'FREE' }, 'coupon'],
  ])('when the checkout has %s, then 422 naming %s', async (_, change, field) => {
    await add('invalid');
    const response = await checkout('invalid', undefined, { ...checkoutBody('invalid'), ...change });
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await ordersOf('invalid')).toBe(0);
  });

  it('when the country is left out or lower case, then it defaults to US or is upper-cased', async () => {
    await add('country');
    const { country: _, ...withoutCountry } = address;
    const response = await checkout('country', undefined, {
      ...checkoutBody('country'),
      shipping_address: withoutCountry,
    });
    expect(response.body.order.shipping_address.country).toBe('US');
    await add('country');
    const lower = await checkout('country', undefined, {
      ...checkoutBody('country'),
      shipping_address: { ...address, country: 'ca' },
    });
    expect(lower.body.order.shipping_address.country).toBe('CA');
  });

  it('when the Idempotency-Key is too long, then 422', async () => {
    await add('long-key');
    const response = await checkout('long-key', { 'Idempotency-Key': 'k'.repeat(256) });
    expect(response.status).toBe(422);
    expect(response.body.details[0].field).toBe('Idempotency-Key');
  });
});

/** The process id of the session waiting for a lock `holder` holds, once there is one (bounded). */
async function waitForLockWaiter(holder: Client): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await holder.query<{ pid: number }>(
      `select pid from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
    );
    if (rows.length > 0) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no session came to wait for the lock');
}
