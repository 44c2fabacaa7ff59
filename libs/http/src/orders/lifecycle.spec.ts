import { allowedTransitions, OrderState } from '@carthub/domain';
import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

const address = { street: '1 Loop', city: 'Austin', state: 'TX', zip: '78701' };

type Endpoint = 'payments' | 'cancel' | 'fulfilment' | 'delivery' | 'refund';
const ENDPOINTS: Endpoint[] = ['payments', 'cancel', 'fulfilment', 'delivery', 'refund'];

/** Where each endpoint moves an order from each state; absent: refused. */
const MOVES: Partial<Record<OrderState, Partial<Record<Endpoint, OrderState>>>> = {
  pending: { payments: 'paid', cancel: 'cancelled' },
  paid: { fulfilment: 'fulfilled', refund: 'refunded' },
  fulfilled: { delivery: 'delivered' },
};

/** The endpoints that lead from a new order to each state. */
const PATHS: Record<Exclude<OrderState, 'expired'>, Endpoint[]> = {
  pending: [],
  paid: ['payments'],
  cancelled: ['cancel'],
  fulfilled: ['payments', 'fulfilment'],
  delivered: ['payments', 'fulfilment', 'delivery'],
  refunded: ['payments', 'refund'],
};

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

describe('order lifecycle', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function placeOrder(customer = unique('buyer')): Promise<{ id: string; total: number }> {
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customer, product_id: 'lamp', product_name: 'Lamp', price: 12.5, quantity: 2 },
    });
    const response = await server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customer, payment_method: 'paypal', shipping_address: address },
    });
    expect(response.status).toBe(201);
    return { id: response.body.order_id, total: response.body.total_amount };
  }

  function bodyFor(endpoint: Endpoint, total: number): object | undefined {
    if (endpoint === 'payments') return { payment_id: unique('pay'), amount: total };
    if (endpoint === 'fulfilment') return { tracking_number: 'TRACK-1' };
    if (endpoint === 'delivery') return undefined;
    return { reason: `${endpoint} for a test` };
  }

  const call = (id: string, endpoint: Endpoint, body?: object, headers?: Record<string, string>) =>
    server.request('POST', `/api/v1/orders/${id}/${endpoint}`, { body, headers });

  async function orderIn(state: OrderState): Promise<{ id: string; total: number }> {
    const order = await placeOrder();
    if (state === 'expired') {
      // Expiry is the cleanup command's (tested with the migrator); here only the state matters.
      await queryDatabase(
        server.database.url,
        `update orders set status = 'expired', version = 2 where order_id = $1`,
        [order.id],
      );
      return order;
    }
    for (const endpoint of PATHS[state])
      expect((await call(order.id, endpoint, bodyFor(endpoint, order.total))).status).toBe(200);
    return order;
  }

  async function eventsOf(orderId: string) {
    return queryDatabase<{
      type: string;
      sequence: number;
      envelope: { data: { order: { version: number; status: string } } };
    }>(
      server.database.url,
      `select type, sequence, envelope from outbox_events where aggregate_type = 'order' and aggregate_id = $1 order by position`,
      [orderId],
    );
  }

  const states: OrderState[] = ['pending', 'paid', 'fulfilled', 'delivered', 'cancelled', 'expired', 'refunded'];
  const cases = states.flatMap((state) => ENDPOINTS.map((endpoint) => [state, endpoint] as const));

  it.each(cases)(
    'when an order that is %s gets POST …/%s, then it moves exactly as the table says',
    async (state, endpoint) => {
      const order = await orderIn(state);
      const before = (await server.request('GET', `/api/v1/orders/${order.id}`)).body;
      const response = await call(order.id, endpoint, bodyFor(endpoint, order.total));
      const to = MOVES[state]?.[endpoint];

      if (to) {
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ order_id: order.id, status: to, version: before.version + 1 });
        expect(response.headers.get('etag')).toBe(`"${before.version + 1}"`);
        expect(response.body.status_history).toEqual([
          ...before.status_history,
          {
            status: to,
            at: response.body.updated_at,
            reason: endpoint === 'cancel' || endpoint === 'refund' ? `${endpoint} for a test` : null,
          },
        ]);
        expect(await server.request('GET', `/api/v1/orders/${order.id}`)).toMatchObject({
          status: 200,
          body: response.body,
        });
        const events = await eventsOf(order.id);
        expect(events.at(-1)).toMatchObject({ type: `order.${to}`, sequence: before.version + 1 });
        expect(events.at(-1)?.envelope.data.order).toEqual(response.body);
        return;
      }
      const paidBefore = endpoint === 'payments' && before.payment_id !== null;
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject(
        paidBefore
          ? { success: false, code: 'ORDER_ALREADY_PAID' }
          : {
              success: false,
              code: 'INVALID_TRANSITION',
              status: state,
              allowed_transitions: allowedTransitions(state),
            },
      );
      expect((await server.request('GET', `/api/v1/orders/${order.id}`)).body).toEqual(before);
    },
  );

  it('when an order is placed, then it is at version 1 with one pending history entry, no payment and no tracking number, its ETag its version', async () => {
    const order = await placeOrder();
    const response = await server.request('GET', `/api/v1/orders/${order.id}`);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.body).toMatchObject({
      version: 1,
      status: 'pending',
      status_history: [{ status: 'pending', at: response.body.created_at, reason: null }],
      payment_id: null,
      tracking_number: null,
    });
  });

  it('when an order is paid, fulfilled with a tracking number and delivered, then payment_id and tracking_number stay, and a refund keeps payment_id', async () => {
    const order = await placeOrder();
    await call(order.id, 'payments', { payment_id: 'pay-kept-1', amount: order.total });
    await call(order.id, 'fulfilment', { tracking_number: '1Z999' });
    const delivered = await call(order.id, 'delivery');
    expect(delivered.body).toMatchObject({ status: 'delivered', payment_id: 'pay-kept-1', tracking_number: '1Z999' });

    const refundable = await placeOrder();
    await call(refundable.id, 'payments', { payment_id: 'pay-kept-2', amount: refundable.total });
    expect((await call(refundable.id, 'refund')).body).toMatchObject({ status: 'refunded', payment_id: 'pay-kept-2' });
  });

  it('when 30 confirmations of one payment arrive at once, then exactly one transition: all 30 answer 200, one order.paid, version 2', async () => {
    const order = await placeOrder();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => call(order.id, 'payments', { payment_id: 'pay-race', amount: order.total })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect(answers.every((a) => a.body.status === 'paid' && a.body.version === 2)).toBe(true);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(29);
    const events = await eventsOf(order.id);
    expect(events.map((e) => [e.type, e.sequence])).toEqual([
      ['order.placed', 1],
      ['order.paid', 2],
    ]);
  });

  it('when 30 different payments for one order arrive at once, then one 200 and 29 × 409 ORDER_ALREADY_PAID', async () => {
    const order = await placeOrder();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(order.id, 'payments', { payment_id: `pay-many-${i}`, amount: order.total }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(29);
    expect(refused.every((a) => a.body.code === 'ORDER_ALREADY_PAID')).toBe(true);
    expect((await eventsOf(order.id)).map((e) => e.sequence)).toEqual([1, 2]);
  });

  it('when a payment is repeated after the order moved on, then 200 with the order as it is now, replayed, unchanged', async () => {
    const order = await placeOrder();
    await call(order.id, 'payments', { payment_id: 'pay-again', amount: order.total });
    const fulfilled = await call(order.id, 'fulfilment');
    const again = await call(order.id, 'payments', { payment_id: 'pay-again', amount: order.total });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(fulfilled.body);
  });

  it('when a payment_id that paid one order is reported for another, then 409 PAYMENT_ID_IN_USE and the other stays pending', async () => {
    const first = await placeOrder();
    const second = await placeOrder();
    await call(first.id, 'payments', { payment_id: 'pay-shared', amount: first.total });
    const response = await call(second.id, 'payments', { payment_id: 'pay-shared', amount: second.total });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('PAYMENT_ID_IN_USE');
    expect((await server.request('GET', `/api/v1/orders/${second.id}`)).body).toMatchObject({
      status: 'pending',
      version: 1,
    });
  });

  it('when two orders are paid with one payment_id at once, then one is paid and the other gets PAYMENT_ID_IN_USE', async () => {
    const orders = await Promise.all([placeOrder(), placeOrder()]);
    const answers = await Promise.all(
      orders.map((order) => call(order.id, 'payments', { payment_id: 'pay-crossed', amount: order.total })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.code).toBe('PAYMENT_ID_IN_USE');
  });

  it('when the amount is not the order total, then 422 PAYMENT_AMOUNT_MISMATCH, and the refused payment_id stays free for a right payment', async () => {
    const order = await placeOrder();
    const wrong = await call(order.id, 'payments', { payment_id: 'pay-refused', amount: order.total + 0.01 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('PAYMENT_AMOUNT_MISMATCH');
    const other = await placeOrder();
    expect((await call(other.id, 'payments', { payment_id: 'pay-refused', amount: other.total })).status).toBe(200);
  });

  it('when a payment body is invalid, then 422 VALIDATION_FAILED', async () => {
    const order = await placeOrder();
    for (const body of [
      { amount: order.total },
      { payment_id: 'p', amount: 1.234 },
      { payment_id: '', amount: 1 },
      { payment_id: 'p', amount: 1, extra: 1 },
    ]) {
      const response = await call(order.id, 'payments', body);
      expect([response.status, response.body.code]).toEqual([422, 'VALIDATION_FAILED']);
    }
  });

  it('when If-Match names the order version, then the move happens; when stale, 412 VERSION_MISMATCH and nothing changes', async () => {
    const order = await placeOrder();
    const stale = await call(order.id, 'cancel', undefined, { 'If-Match': '"2"' });
    expect([stale.status, stale.body.code]).toEqual([412, 'VERSION_MISMATCH']);
    const staleToo = await call(
      order.id,
      'payments',
      { payment_id: unique('pay'), amount: order.total },
      { 'If-Match': '"3"' },
    );
    expect(staleToo.status).toBe(412);
    expect((await server.request('GET', `/api/v1/orders/${order.id}`)).body.version).toBe(1);
    const paid = await call(
      order.id,
      'payments',
      { payment_id: unique('pay'), amount: order.total },
      { 'If-Match': '"1"' },
    );
    expect([paid.status, paid.headers.get('etag')]).toEqual([200, '"2"']);
    expect((await call(order.id, 'refund', undefined, { 'If-Match': '"1"' })).status).toBe(412);
    expect((await call(order.id, 'refund', undefined, { 'If-Match': '"2"' })).status).toBe(200);
  });

  it('when an order does not exist, then every transition answers 404 ORDER_NOT_FOUND', async () => {
    for (const id of ['7b0c6a59-6b0e-4a8e-9d0e-1f2a3b4c5d6e', 'not-a-uuid']) {
      for (const endpoint of ENDPOINTS) {
        const response = await call(id, endpoint, bodyFor(endpoint, 1));
        expect([response.status, response.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
      }
    }
  });

  it('when an order goes through its life, then its outbox sequences are 1..n with no gaps, each event carrying the order at that version', async () => {
    const order = await orderIn('delivered');
    const events = await eventsOf(order.id);
    expect(events.map((e) => e.type)).toEqual(['order.placed', 'order.paid', 'order.fulfilled', 'order.delivered']);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(events.map((e) => e.envelope.data.order.version)).toEqual([1, 2, 3, 4]);
  });

  it('when the order states are asked for, then the table straight from the state machine', async () => {
    const response = await server.request('GET', '/api/v1/order-states');
    expect(response.status).toBe(200);
    expect(response.body.states).toEqual(states);
    expect(response.body.transitions).toContainEqual({
      from: 'pending',
      to: 'paid',
      endpoint: 'POST /api/v1/orders/{order_id}/payments',
      who: ['operator'],
    });
    expect(response.body.transitions).toContainEqual({
      from: 'pending',
      to: 'paid',
      endpoint: 'POST /api/v1/payment-webhooks',
      who: ['payment_provider'],
    });
    expect(response.body.transitions).toContainEqual({
      from: 'pending',
      to: 'expired',
      endpoint: null,
      who: ['system'],
    });
    expect(response.body.transitions).toHaveLength(7);
  });
});
