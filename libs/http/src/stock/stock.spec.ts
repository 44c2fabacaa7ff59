import { cleanupUnpaidOrders } from '@carthub/persistence';
import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';
import { serializeEvent } from '../events/serialize';

const address = { street: '1 Loop', city: 'Austin', state: 'TX', zip: '78701' };
let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/** Every rule of the contract's "Stock" section, over HTTP against the real server and database. */
describe('stock (STOCK_TRACKING=on)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ stockTracking: true });
  });
  afterAll(() => server.close());

  const stock = (productId: string) => server.request('GET', `/api/v1/stock/${productId}`);
  const setStock = (productId: string, onHand: unknown, headers?: Record<string, string>) =>
    server.request('PUT', `/api/v1/stock/${productId}`, { body: { on_hand: onHand }, headers });
  const adjust = (productId: string, body: object, headers?: Record<string, string>) =>
    server.request('POST', `/api/v1/stock/${productId}/adjustments`, { body, headers });
  const untrack = (productId: string, headers?: Record<string, string>) =>
    server.request('DELETE', `/api/v1/stock/${productId}`, { headers });

  async function fillCart(customer: string, lines: Record<string, number>): Promise<void> {
    for (const [productId, quantity] of Object.entries(lines)) {
      const added = await server.request('POST', '/api/v1/cart/items', {
        body: { customer_id: customer, product_id: productId, product_name: productId, price: 10, quantity },
      });
      expect(added.status).toBe(200);
    }
  }
  const checkout = (customer: string, extra: object = {}) =>
    server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customer, payment_method: 'paypal', shipping_address: address, ...extra },
    });
  async function order(lines: Record<string, number>): Promise<{ id: string; total: number; body: any }> {
    const customer = unique('buyer');
    await fillCart(customer, lines);
    const placed = await checkout(customer);
    expect(placed.status).toBe(201);
    return { id: placed.body.order_id, total: placed.body.total_amount, body: placed.body };
  }
  const move = (id: string, endpoint: string, body?: object) =>
    server.request('POST', `/api/v1/orders/${id}/${endpoint}`, { body });
  const pay = (id: string, total: number) => move(id, 'payments', { payment_id: unique('pay'), amount: total });
  const counts = async (productId: string) => {
    const { body } = await stock(productId);
    return { on_hand: body.on_hand, reserved: body.reserved, available: body.available };
  };
  const stockEvents = (productId: string) =>
    queryDatabase<{ sequence: number; envelope: any }>(
      server.database.url,
      `select sequence, envelope from outbox_events where aggregate_type = 'stock' and aggregate_id = $1 order by sequence`,
      [productId],
    );

  describe('operator endpoints', () => {
    it('when a stocktake is PUT, then the record is created at version 1 with its ETag; GET answers the same', async () => {
      const product = unique('lamp');
      const put = await setStock(product, 7);
      expect(put.status).toBe(200);
      expect(put.headers.get('etag')).toBe('"1"');
      expect(put.body).toEqual({
        product_id: product,
        tracked: true,
        on_hand: 7,
        reserved: 0,
        available: 7,
        version: 1,
        updated_at: expect.any(String),
      });
      const got = await stock(product);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(put.body);
      expect(got.headers.get('etag')).toBe('"1"');
    });

    it('when a product has no record, then GET answers it untracked; availability says null', async () => {
      const product = unique('free');
      expect((await stock(product)).body).toEqual({ product_id: product, tracked: false });
      const listed = await server.request('GET', `/api/v1/availability?product_ids=${product}`);
      expect(listed.body).toEqual({ availability: [{ product_id: product, tracked: false, available: null }] });
    });

    it('when If-Match names a stale version, then 412 and nothing changes; the current one passes', async () => {
      const product = unique('lamp');
      await setStock(product, 5);
      await adjust(product, { delta: 1 });
      expect((await setStock(product, 9, { 'If-Match': '"1"' })).status).toBe(412);
      expect((await adjust(product, { delta: 1 }, { 'If-Match': '"1"' })).status).toBe(412);
      expect((await untrack(product, { 'If-Match': '"1"' })).status).toBe(412);
      expect(await counts(product)).toEqual({ on_hand: 6, reserved: 0, available: 6 });
      const passed = await setStock(product, 9, { 'If-Match': '"2"' });
      expect(passed.status).toBe(200);
      expect(passed.body.version).toBe(3);
      expect((await setStock(unique('absent'), 9, { 'If-Match': '"1"' })).status).toBe(412);
    });

    it('when adjustments arrive, then each moves on_hand and the version by one; an absent record starts at 0', async () => {
      const product = unique('bolt');
      const received = await adjust(product, { delta: 12, reason: 'delivery 42' });
      expect(received.status).toBe(200);
      expect(received.body).toMatchObject({ on_hand: 12, reserved: 0, available: 12, version: 1 });
      const written = await adjust(product, { delta: -2 });
      expect(written.body).toMatchObject({ on_hand: 10, version: 2 });
      expect(written.headers.get('etag')).toBe('"2"');
    });

    it('when 50 adjustments run at once, then none is lost', async () => {
      const product = unique('bolt');
      await setStock(product, 100);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => adjust(product, { delta: i % 2 === 0 ? 3 : -1 })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      expect((await stock(product)).body).toMatchObject({ on_hand: 100 + 25 * 3 - 25, version: 51 });
    });

    it('when a change would put on_hand below reserved or below 0, then 409 STOCK_BELOW_RESERVED with the stock, nothing changed', async () => {
      const product = unique('chair');
      await setStock(product, 5);
      await order({ [product]: 3 });
      const before = (await stock(product)).body;
      const set = await setStock(product, 2);
      expect(set.status).toBe(409);
      expect(set.body).toMatchObject({ code: 'STOCK_BELOW_RESERVED', stock: before });
      const adjusted = await adjust(product, { delta: -3 });
      expect(adjusted.status).toBe(409);
      expect(adjusted.body).toMatchObject({ code: 'STOCK_BELOW_RESERVED', stock: before });
      const fromNothing = await adjust(unique('absent'), { delta: -1 });
      expect(fromNothing.status).toBe(409);
      expect(fromNothing.body.code).toBe('STOCK_BELOW_RESERVED');
      expect((await stock(product)).body).toEqual(before);
      // Down to exactly what is reserved is allowed.
      expect((await setStock(product, 3)).body).toMatchObject({ on_hand: 3, reserved: 3, available: 0 });
    });

    it('when a product with reservations is untracked, then 409 STOCK_RESERVED; once released, it becomes untracked', async () => {
      const product = unique('desk');
      await setStock(product, 4);
      const placed = await order({ [product]: 1 });
      const refused = await untrack(product);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'STOCK_RESERVED', stock: { reserved: 1, on_hand: 4 } });
      expect(await counts(product)).toEqual({ on_hand: 4, reserved: 1, available: 3 });
      await move(placed.id, 'cancel');
      const done = await untrack(product);
      expect(done.status).toBe(200);
      expect(done.body).toEqual({ product_id: product, tracked: false });
      expect((await stock(product)).body).toEqual({ product_id: product, tracked: false });
      // Untracking again changes nothing; tracking again goes on from the last version, so events stay in sequence.
      expect((await untrack(product)).status).toBe(200);
      expect((await setStock(product, 2)).body).toMatchObject({ on_hand: 2, version: 5 });
      const events = await stockEvents(product);
      expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(events.map((e) => e.envelope.data.reason)).toEqual(['set', 'reserved', 'released', 'untracked', 'set']);
    });

    it('when availability is asked, then it answers in the order asked, null for untracked', async () => {
      const [a, b, c] = [unique('a'), unique('b'), unique('c')];
      await setStock(a, 3);
      await setStock(c, 0);
      const listed = await server.request('GET', `/api/v1/availability?product_ids=${c},${b},${a}`);
      expect(listed.status).toBe(200);
      expect(listed.body.availability).toEqual([
        { product_id: c, tracked: true, available: 0 },
        { product_id: b, tracked: false, available: null },
        { product_id: a, tracked: true, available: 3 },
      ]);
    });

    it.each([
      ['a fractional count', { on_hand: 1.5 }],
      ['a negative count', { on_hand: -1 }],
      ['a count as text', { on_hand: '5' }],
      ['a count past 1,000,000,000', { on_hand: 1_000_000_001 }],
      ['an unknown field', { on_hand: 5, reserved: 0 }],
    ])('when a stocktake has %s, then 422 and nothing changes', async (_, body) => {
      const product = unique('bad');
      await setStock(product, 4);
      const refused = await server.request('PUT', `/api/v1/stock/${product}`, { body });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect((await stock(product)).body).toMatchObject({ on_hand: 4, version: 1 });
    });

    it.each([
      ['a zero delta', { delta: 0 }],
      ['a fractional delta', { delta: 0.5 }],
      ['a delta past 1,000,000,000', { delta: -1_000_000_001 }],
      ['a delta as text', { delta: '3' }],
      ['a reason over 255 characters', { delta: 1, reason: 'x'.repeat(256) }],
      ['no delta', { reason: 'nothing' }],
    ])('when an adjustment has %s, then 422 and nothing changes', async (_, body) => {
      const product = unique('bad');
      await setStock(product, 4);
      const refused = await adjust(product, body);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect((await stock(product)).body).toMatchObject({ on_hand: 4, version: 1 });
    });

    it('when availability names no id or more than 100, then 422', async () => {
      const tooMany = Array.from({ length: 101 }, (_, i) => `p${i}`).join(',');
      expect((await server.request('GET', `/api/v1/availability?product_ids=${tooMany}`)).status).toBe(422);
      expect((await server.request('GET', '/api/v1/availability')).status).toBe(422);
      expect((await server.request('GET', '/api/v1/availability?product_ids=')).status).toBe(422);
      const hundred = Array.from({ length: 100 }, (_, i) => `p${i}`).join(',');
      expect((await server.request('GET', `/api/v1/availability?product_ids=${hundred}`)).status).toBe(200);
    });
  });

  describe('checkout reserves, orders move stock', () => {
    it('when an order is placed, then every tracked line is reserved in its transaction; untracked lines hold nothing', async () => {
      const [lamp, desk, free] = [unique('lamp'), unique('desk'), unique('free')];
      await setStock(lamp, 5);
      await setStock(desk, 2);
      const placed = await order({ [lamp]: 2, [free]: 1, [desk]: 2 });
      expect(placed.body.order.reservations).toEqual([
        { product_id: lamp, quantity: 2, state: 'reserved' },
        { product_id: desk, quantity: 2, state: 'reserved' },
      ]);
      expect(await counts(lamp)).toEqual({ on_hand: 5, reserved: 2, available: 3 });
      expect(await counts(desk)).toEqual({ on_hand: 2, reserved: 2, available: 0 });
      const got = await server.request('GET', `/api/v1/orders/${placed.id}`);
      expect(got.body.reservations).toEqual(placed.body.order.reservations);
      const [event] = (await stockEvents(lamp)).slice(-1);
      expect(event).toEqual({
        sequence: 2,
        envelope: expect.objectContaining({
          type: 'stock.changed',
          aggregate_type: 'stock',
          aggregate_id: lamp,
          sequence: 2,
          data: { product_id: lamp, on_hand: 5, reserved: 2, available: 3, reason: 'reserved', order_id: placed.id },
        }),
      });
    });

    it('when any line is short, then 409 OUT_OF_STOCK naming every short line: no order, nothing reserved, the cart unchanged', async () => {
      const [lamp, desk, bolt] = [unique('lamp'), unique('desk'), unique('bolt')];
      await setStock(lamp, 5);
      await setStock(desk, 1);
      await setStock(bolt, 0);
      const customer = unique('buyer');
      await fillCart(customer, { [lamp]: 2, [desk]: 2, [bolt]: 1 });
      const cartBefore = (await server.request('GET', `/api/v1/cart/${customer}`)).body;
      const refused = await checkout(customer, {});
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'OUT_OF_STOCK',
        shortages: [
          { product_id: desk, requested: 2, available: 1 },
          { product_id: bolt, requested: 1, available: 0 },
        ],
        cart: cartBefore,
      });
      expect(await counts(lamp)).toEqual({ on_hand: 5, reserved: 0, available: 5 });
      expect((await server.request('GET', `/api/v1/cart/${customer}`)).body).toEqual(cartBefore);
      expect((await server.request('GET', `/api/v1/customers/${customer}/orders`)).body.orders).toEqual([]);
      expect((await stockEvents(lamp)).map((e) => e.envelope.data.reason)).toEqual(['set']);
    });

    it('when a checkout with an Idempotency-Key is short, then no key is kept: the same key places the order once stock arrives', async () => {
      const lamp = unique('lamp');
      await setStock(lamp, 1);
      const customer = unique('buyer');
      await fillCart(customer, { [lamp]: 2 });
      const send = () =>
        server.request('POST', '/api/v1/cart/checkout', {
          body: { customer_id: customer, payment_method: 'paypal', shipping_address: address },
          headers: { 'Idempotency-Key': 'k-1' },
        });
      expect((await send()).status).toBe(409);
      await adjust(lamp, { delta: 1 });
      expect((await send()).status).toBe(201);
      expect(await counts(lamp)).toEqual({ on_hand: 2, reserved: 2, available: 0 });
    });

    it('when a line is short and expected_total is also wrong, then stock is answered first', async () => {
      const lamp = unique('lamp');
      await setStock(lamp, 1);
      const customer = unique('buyer');
      await fillCart(customer, { [lamp]: 2 });
      const refused = await checkout(customer, { expected_total: 1 });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('OUT_OF_STOCK');
      await adjust(lamp, { delta: 1 });
      expect((await checkout(customer, { expected_total: 1 })).body.code).toBe('TOTAL_CHANGED');
    });

    it.each([
      ['cancelled', ['cancel'], 'released', { on_hand: 5, reserved: 0, available: 5 }],
      ['refunded', ['payments', 'refund'], 'released', { on_hand: 5, reserved: 0, available: 5 }],
      ['fulfilled', ['payments', 'fulfilment'], 'consumed', { on_hand: 3, reserved: 0, available: 3 }],
      ['delivered', ['payments', 'fulfilment', 'delivery'], 'consumed', { on_hand: 3, reserved: 0, available: 3 }],
      ['paid', ['payments'], 'reserved', { on_hand: 5, reserved: 2, available: 3 }],
    ])('when an order is %s, then its reservation is %s in the same transaction', async (_, moves, state, after) => {
      const lamp = unique('lamp');
      await setStock(lamp, 5);
      const placed = await order({ [lamp]: 2 });
      let last: any;
      for (const endpoint of moves) {
        const answer = endpoint === 'payments' ? await pay(placed.id, placed.total) : await move(placed.id, endpoint);
        expect(answer.status).toBe(200);
        last = answer.body;
      }
      expect(last.reservations).toEqual([{ product_id: lamp, quantity: 2, state }]);
      expect(await counts(lamp)).toEqual(after);
      const events = await stockEvents(lamp);
      expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
      if (state !== 'reserved') expect(events[events.length - 1].envelope.data.order_id).toBe(placed.id);
    });

    it('when an unpaid order expires, then the cleanup releases its reservation with its order.expired', async () => {
      const lamp = unique('lamp');
      await setStock(lamp, 3);
      const placed = await order({ [lamp]: 3 });
      await queryDatabase(
        server.database.url,
        `update orders set created_at = now() - interval '2 hours' where order_id = $1`,
        [placed.id],
      );
      await cleanupUnpaidOrders({ url: server.database.url }, serializeEvent, { paymentTtlSeconds: 3600 });
      const got = await server.request('GET', `/api/v1/orders/${placed.id}`);
      expect(got.body.status).toBe('expired');
      expect(got.body.reservations).toEqual([{ product_id: lamp, quantity: 3, state: 'released' }]);
      expect(await counts(lamp)).toEqual({ on_hand: 3, reserved: 0, available: 3 });
      const [expired] = await queryDatabase<{ envelope: any }>(
        server.database.url,
        `select envelope from outbox_events where type = 'order.expired' and aggregate_id = $1`,
        [placed.id],
      );
      expect(expired.envelope.data.order.reservations).toEqual(got.body.reservations);
    });

    it('when an order was placed while its product was untracked, then its transitions leave that product alone', async () => {
      const free = unique('free');
      const placed = await order({ [free]: 2 });
      expect(placed.body.order.reservations).toEqual([]);
      await setStock(free, 4);
      expect((await move(placed.id, 'cancel')).body.reservations).toEqual([]);
      expect(await counts(free)).toEqual({ on_hand: 4, reserved: 0, available: 4 });
    });
  });
});

describe('stock (STOCK_TRACKING=off, the default)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('when a tracked product is checked out, then nothing is reserved and the order has no reservations', async () => {
    await server.request('PUT', '/api/v1/stock/lamp', { body: { on_hand: 0 } });
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'c-off', product_id: 'lamp', product_name: 'Lamp', price: 10, quantity: 3 },
    });
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: 'c-off', payment_method: 'paypal', shipping_address: address },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.order.reservations).toEqual([]);
    expect((await server.request('GET', '/api/v1/stock/lamp')).body).toMatchObject({ on_hand: 0, reserved: 0 });
  });
});
