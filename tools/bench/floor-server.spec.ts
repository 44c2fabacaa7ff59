import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, findFreePort, queryDatabase, TestDatabase } from '@carthub/persistence/testing';

/*
 * The bench's floors must keep working against the current schema, and keep
 * doing the job the API does: a floor that answers errors, or skips a row the
 * API writes, would be measured as "fast". This drives each operation of every
 * floor over real HTTP against a migrated database and checks what it wrote.
 */
async function startFloor(script: string, databaseUrl: string, env: Record<string, string> = {}) {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, script)], {
    env: { PATH: process.env['PATH'], PORT: String(port), DATABASE_URL: databaseUrl, ...env },
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 300; attempt++) {
    if ((await fetch(`${url}/api/v1/cart/nobody`).catch(() => undefined))?.status === 200) {
      return { url, stop: () => child.kill() };
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill();
  throw new Error(`${script} never answered`);
}

/** Polls `probe` until it answers true; fails after about five seconds. */
async function until(what: string, probe: () => Promise<boolean>) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await probe()) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`never saw: ${what}`);
}

const FLOORS: Array<[name: string, script: string, env: Record<string, string>]> = [
  ['bare', 'floor-server.mjs', {}],
  ['koa', 'koa-floor.mjs', {}],
  ['koa-deployed', 'koa-floor.mjs', { KOA_FLOOR_FEATURES: 'deployed' }],
];

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHIPPING = { street: '1 Way', city: 'Town', state: 'ST', zip: '12345', country: 'US' };

interface EventRow {
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  sequence: number;
  occurred_at: Date;
  envelope: Record<string, unknown>;
}

describe('bench floor servers', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  const query = <T extends object>(text: string, values: unknown[] = []) =>
    queryDatabase<T>(database.url, text, values);
  const eventsOf = (aggregateType: string, aggregateId: string) =>
    query<EventRow>(
      `select id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope from outbox_events
        where aggregate_type = $1 and aggregate_id = $2 order by position`,
      [aggregateType, aggregateId],
    );

  describe.each(FLOORS)('the %s floor', (name, script, env) => {
    let url: string;
    let stop: () => void;

    beforeAll(async () => {
      ({ url, stop } = await startFloor(script, database.url, env));
    });

    afterAll(() => stop());

    const customer = (suffix: string) => `floor-${name}-${suffix}`;
    const send = async (method: string, path: string, body?: object, headers: Record<string, string> = {}) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: body && JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        requestId: response.headers.get('X-Request-Id'),
        text,
        body: JSON.parse(text) as Record<string, any>,
      };
    };
    const add = (customerId: string, productId: string, price = '2.50', quantity = 2) =>
      send('POST', '/api/v1/cart/items', {
        customer_id: customerId,
        product_id: productId,
        product_name: `Product ${productId}`,
        price,
        quantity,
      });
    const orderOf = (customerId: string) => ({
      customer_id: customerId,
      payment_method: 'paypal',
      shipping_address: SHIPPING,
    });
    const checkout = (customerId: string, key?: string) =>
      send('POST', '/api/v1/cart/checkout', orderOf(customerId), key ? { 'Idempotency-Key': key } : {});

    it('when a cart is changed, then every answer is the API-shaped success, the request id is echoed, and each change wrote its event', async () => {
      const id = customer('changes');
      const added = await send(
        'POST',
        '/api/v1/cart/items',
        { customer_id: id, product_id: 'a', product_name: 'Product a', price: '2.50', quantity: 2 },
        { 'X-Request-Id': `${id}:a` },
      );
      expect(added).toMatchObject({ status: 200, requestId: `${id}:a`, body: { success: true } });
      expect((await add(id, 'b')).status).toBe(200);
      expect((await send('PUT', `/api/v1/cart/${id}/items/a`, { quantity: 5 })).status).toBe(200);
      expect((await send('PUT', `/api/v1/cart/${id}/items/b`, { quantity: 0 })).status).toBe(200);
      const cart = await send('GET', `/api/v1/cart/${id}`);
      expect(cart.body).toMatchObject({ version: 4, total_items: 5, subtotal: 12.5 });

      expect((await eventsOf('cart', id)).map(({ type, sequence }) => ({ type, sequence }))).toEqual([
        { type: 'cart.item_added', sequence: 1 },
        { type: 'cart.item_added', sequence: 2 },
        { type: 'cart.item_updated', sequence: 3 },
        { type: 'cart.item_removed', sequence: 4 },
      ]);
    });

    it('when a cart is checked out with a key, then it writes what the API writes: the order and its lines, the emptied cart, the completed key, cart.cleared and order.placed', async () => {
      const id = customer('checkout');
      expect((await add(id, 'a', '2.50', 3)).status).toBe(200);
      expect((await add(id, 'b', '10.00', 1)).status).toBe(200);

      const placed = await checkout(id, 'key-1');
      expect(placed.status).toBe(201);
      const order = placed.body['order'];
      // The API's Order, field by field (libs/http orders/representation.ts).
      expect(order).toEqual({
        order_id: expect.stringMatching(UUID),
        customer_id: id,
        status: 'pending',
        subtotal: 17.5,
        tax: 0,
        shipping: 0,
        total_amount: 17.5,
        currency: 'USD',
        total_items: 4,
        payment_method: 'paypal',
        shipping_address: SHIPPING,
        version: 1,
        status_history: [{ status: 'pending', at: order.created_at, reason: null }],
        payment_id: null,
        tracking_number: null,
        items: [
          { product_id: 'a', product_name: 'Product a', price: 2.5, quantity: 3, subtotal: 7.5 },
          { product_id: 'b', product_name: 'Product b', price: 10, quantity: 1, subtotal: 10 },
        ],
        created_at: expect.stringMatching(ISO_MS),
        updated_at: order.created_at,
      });
      expect(placed.body).toEqual({
        success: true,
        message: 'Order placed: 4 item(s)',
        order_id: order.order_id,
        total_amount: 17.5,
        order,
      });

      const [stored] = await query<Record<string, unknown>>(
        `select id, customer_id, status, subtotal::text, tax::text, shipping::text, total_amount::text, currency,
                total_items, payment_method, shipping_address, version, status_history
           from orders where order_id = $1`,
        [order.order_id],
      );
      expect(stored).toMatchObject({
        customer_id: id,
        status: 'pending',
        subtotal: '17.50',
        tax: '0.00',
        shipping: '0.00',
        total_amount: '17.50',
        currency: 'USD',
        total_items: 4,
        payment_method: 'paypal',
        shipping_address: SHIPPING,
        version: 1,
        status_history: order.status_history,
      });
      expect(
        await query(
          `select product_id, product_name, price::text, quantity from order_items where order_id = $1 order by id`,
          [stored['id']],
        ),
      ).toEqual([
        { product_id: 'a', product_name: 'Product a', price: '2.50', quantity: 3 },
        { product_id: 'b', product_name: 'Product b', price: '10.00', quantity: 1 },
      ]);

      const [cart] = await query<{ version: number; lines: number; updated_at: string }>(
        `select version, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at,
                (select count(*)::int from cart_items i where i.cart_id = c.id) as lines
           from carts c where customer_id = $1`,
        [id],
      );
      expect(cart).toMatchObject({ version: 3, lines: 0 });

      const keys = await query<Record<string, unknown>>(
        `select k.fingerprint, k.state, k.order_id, k.expires_at > now() + interval '23 hours' as kept_a_day
           from idempotency_keys k where k.customer_id = $1`,
        [id],
      );
      expect(keys).toEqual([
        {
          fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
          state: 'completed',
          order_id: stored['id'],
          kept_a_day: true,
        },
      ]);

      const cartEvents = await eventsOf('cart', id);
      expect(cartEvents.map(({ type, sequence }) => ({ type, sequence }))).toEqual([
        { type: 'cart.item_added', sequence: 1 },
        { type: 'cart.item_added', sequence: 2 },
        { type: 'cart.cleared', sequence: 3 },
      ]);
      const cleared = cartEvents[2];
      expect(cleared.envelope).toEqual({
        id: cleared.id,
        type: 'cart.cleared',
        aggregate_type: 'cart',
        aggregate_id: id,
        sequence: 3,
        occurred_at: cart.updated_at,
        schema_version: 1,
        data: { reason: 'checkout', remaining: [] },
      });
      expect(cleared.occurred_at.toISOString()).toBe(cleared.envelope['occurred_at']);

      const orderEvents = await eventsOf('order', order.order_id);
      expect(orderEvents).toHaveLength(1);
      const [orderPlaced] = orderEvents;
      expect(orderPlaced).toMatchObject({ type: 'order.placed', sequence: 1 });
      // The whole Order, as the response gives it, so consumers need not call back.
      expect(orderPlaced.envelope).toEqual({
        id: orderPlaced.id,
        type: 'order.placed',
        aggregate_type: 'order',
        aggregate_id: order.order_id,
        sequence: 1,
        occurred_at: order.created_at,
        schema_version: 1,
        data: { order },
      });
      expect(orderPlaced.occurred_at.toISOString()).toBe(order.created_at);
      // As the API: the cart's event first, in the same transaction as the order's.
      const [{ cart_first }] = await query<{ cart_first: boolean }>(
        `select (select position from outbox_events where id = $1) < (select position from outbox_events where id = $2) as cart_first`,
        [cleared.id, orderPlaced.id],
      );
      expect(cart_first).toBe(true);
    });

    it('when the key is sent again, then the same answer comes back and nothing more is written; a new key on the emptied cart is 409 CART_EMPTY', async () => {
      const id = customer('replay');
      expect((await add(id, 'a')).status).toBe(200);
      const placed = await checkout(id, 'key-1');
      expect(placed.status).toBe(201);

      // Byte for byte: `text` is the body as sent.
      const replayed = await checkout(id, 'key-1');
      expect({ status: replayed.status, text: replayed.text }).toEqual({ status: placed.status, text: placed.text });
      const other = await send(
        'POST',
        '/api/v1/cart/checkout',
        { ...orderOf(id), payment_method: 'credit_card' },
        {
          'Idempotency-Key': 'key-1',
        },
      );
      expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      expect(await checkout(id, 'key-2')).toMatchObject({ status: 409, body: { code: 'CART_EMPTY' } });

      const [counts] = await query<{ orders: number; keys: number; events: number; version: number }>(
        `select (select count(*)::int from orders where customer_id = $1) as orders,
                (select count(*)::int from idempotency_keys where customer_id = $1) as keys,
                (select count(*)::int from outbox_events where aggregate_id = $1) as events,
                (select version from carts where customer_id = $1)`,
        [id],
      );
      expect(counts).toEqual({ orders: 1, keys: 1, events: 2, version: 2 });
    });

    it('when a cart is checked out without a key, then the order and both events are written and no key is stored', async () => {
      const id = customer('keyless');
      expect((await add(id, 'a')).status).toBe(200);
      const placed = await checkout(id);
      expect(placed).toMatchObject({ status: 201, body: { total_amount: 5 } });
      expect(await query(`select 1 from idempotency_keys where customer_id = $1`, [id])).toEqual([]);
      expect((await eventsOf('cart', id)).map((event) => event.type)).toEqual(['cart.item_added', 'cart.cleared']);
      expect((await eventsOf('order', placed.body['order_id'])).map((event) => event.type)).toEqual(['order.placed']);
      expect(await checkout(id)).toMatchObject({ status: 409, body: { code: 'CART_EMPTY' } });
    });

    it('when a change to the cart commits while the checkout waits for the cart, then the order is of the cart as it then stands', async () => {
      const id = customer('late-line');
      expect((await add(id, 'a')).status).toBe(200);
      const writer = new Client({ connectionString: database.url });
      await writer.connect();
      try {
        // Another writer holds the cart: it moves the version and adds a line, as every cart writer does.
        await writer.query('begin');
        await writer.query(`update carts set version = version + 1, updated_at = now() where customer_id = $1`, [id]);
        await writer.query(
          `insert into cart_items (cart_id, product_id, product_name, price, quantity)
           select id, 'late', 'Product late', 1.25, 2 from carts where customer_id = $1`,
          [id],
        );
        const placing = checkout(id, 'key-1');
        await until('the checkout waiting for the cart', async () => {
          const [{ waiting }] = await query<{ waiting: number }>(
            `select count(*)::int as waiting from pg_stat_activity
              where datname = current_database() and application_name like 'carthub-%floor' and wait_event_type = 'Lock'`,
          );
          return waiting > 0;
        });
        await writer.query('commit');
        const placed = await placing;
        expect(placed.status).toBe(201);
        expect(placed.body['order'].items.map((line: { product_id: string }) => line.product_id)).toEqual([
          'a',
          'late',
        ]);
        expect(placed.body['total_amount']).toBe(7.5);
      } finally {
        await writer.end();
      }
      const [cart] = await query(
        `select version, (select count(*)::int from cart_items i where i.cart_id = c.id) as lines
                                    from carts c where customer_id = $1`,
        [id],
      );
      expect(cart).toEqual({ version: 3, lines: 0 });
      expect((await eventsOf('cart', id)).map(({ type, sequence }) => `${type}@${sequence}`)).toEqual([
        'cart.item_added@1',
        'cart.cleared@3',
      ]);
    });

    it('when ten checkouts race with one key, then exactly one order is placed and every answer is that order', async () => {
      const id = customer('race');
      expect((await add(id, 'a')).status).toBe(200);
      const answers = await Promise.all(Array.from({ length: 10 }, () => checkout(id, 'key-1')));
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201));
      for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
      const [counts] = await query(
        `select (select count(*)::int from orders where customer_id = $1) as orders,
                (select count(*)::int from outbox_events where aggregate_type = 'order' and aggregate_id = $2) as order_events`,
        [id, answers[0].body['order_id']],
      );
      expect(counts).toEqual({ orders: 1, order_events: 1 });
    });
  });

  it.each([
    ['koa', {}],
    ['koa-deployed', { KOA_FLOOR_FEATURES: 'deployed' }],
  ])('when the %s floor reads a cart, then it answers exactly what the bare floor does', async (_name, env) => {
    const bareFloor = await startFloor('floor-server.mjs', database.url);
    const koa = await startFloor('koa-floor.mjs', database.url, env);
    try {
      const added = await fetch(`${bareFloor.url}/api/v1/cart/items`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          customer_id: 'floor-read',
          product_id: 'c',
          product_name: 'C',
          price: '1.50',
          quantity: 1,
        }),
      });
      expect(added.status).toBe(200);
      const bare = await fetch(`${bareFloor.url}/api/v1/cart/floor-read`);
      const response = await fetch(`${koa.url}/api/v1/cart/floor-read`, { headers: { 'X-Request-Id': 'koa-floor-1' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(await bare.json());
      expect(response.headers.get('ETag')).toBe(bare.headers.get('ETag'));
      const deployed = 'KOA_FLOOR_FEATURES' in env;
      expect(response.headers.get('X-Request-Id')).toBe('koa-floor-1');
      expect(response.headers.get('RateLimit-Limit')).toBe(deployed ? '1000000000' : null);
    } finally {
      koa.stop();
      bareFloor.stop();
    }
  });
});
