import { SignJWT } from 'jose';
import { startTestServer, TestServer } from '../../test/test-server';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(SECRET);
const address = { street: '1 Loop', city: 'Austin', state: 'TX', zip: '78701' };

const token = (subject: string, claims: Record<string, unknown> = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
const bearer = async (subject: string, claims?: Record<string, unknown>) => ({
  Authorization: `Bearer ${await token(subject, claims)}`,
});
const operator = () => bearer('shop-staff', { scope: 'orders:read carthub:operator' });

describe('order lifecycle with authentication on', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ settings: { auth: { jwtSecret: SECRET } } });
  });
  afterAll(() => server.close());

  async function placeOrder(
    customer: string,
    headers: Record<string, string> | Promise<Record<string, string>> = bearer(customer),
  ): Promise<{ id: string; total: number }> {
    const auth = await headers;
    await server.request('POST', '/api/v1/cart/items', {
      headers: auth,
      body: { customer_id: customer, product_id: 'lamp', product_name: 'Lamp', price: 5, quantity: 1 },
    });
    const response = await server.request('POST', '/api/v1/cart/checkout', {
      headers: auth,
      body: { customer_id: customer, payment_method: 'paypal', shipping_address: address },
    });
    expect(response.status).toBe(201);
    return { id: response.body.order_id, total: response.body.total_amount };
  }

  const call = (id: string, endpoint: string, headers: Record<string, string>, body?: object) =>
    server.request('POST', `/api/v1/orders/${id}/${endpoint}`, { headers, body });

  it('when the customer cancels their own order, then 200; someone else gets 404, as for a missing order', async () => {
    const cancelled = await placeOrder('alice');
    expect((await call(cancelled.id, 'cancel', await bearer('mallory'))).status).toBe(404);
    expect((await call(cancelled.id, 'cancel', await bearer('alice'))).status).toBe(200);
  });

  it('when a customer says their own order is paid, then 403 FORBIDDEN and it stays pending; an operator may, 200', async () => {
    const order = await placeOrder('amy');
    const payment = { payment_id: 'pay-amy-1', amount: order.total };

    const own = await call(order.id, 'payments', await bearer('amy'), payment);

    expect([own.status, own.body.code]).toEqual([403, 'FORBIDDEN']);
    const foreign = await call(order.id, 'payments', await bearer('mallory'), payment);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
    const staff = await operator();
    expect((await server.request('GET', `/api/v1/orders/${order.id}`, { headers: staff })).body).toMatchObject({
      status: 'pending',
      version: 1,
    });
    const paid = await call(order.id, 'payments', staff, payment);
    expect([paid.status, paid.body.status]).toEqual([200, 'paid']);
  });

  it('when a guest says their own order is paid, then 403 FORBIDDEN and it stays pending', async () => {
    const session = await server.request('POST', '/api/v1/guest-sessions');
    const guest = { Authorization: `Bearer ${session.body.token}` };
    const order = await placeOrder(session.body.customer_id, guest);

    const response = await call(order.id, 'payments', guest, { payment_id: 'pay-guest-1', amount: order.total });

    expect([response.status, response.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await server.request('GET', `/api/v1/orders/${order.id}`, { headers: guest })).body.status).toBe('pending');
  });

  it('when the customer tries an operator move on their own order, then 403 FORBIDDEN; on someone else’s, 404', async () => {
    const order = await placeOrder('bob');
    await call(order.id, 'payments', await operator(), { payment_id: 'pay-b-1', amount: order.total });
    for (const endpoint of ['fulfilment', 'refund', 'delivery']) {
      const own = await call(order.id, endpoint, await bearer('bob'));
      expect([own.status, own.body.code]).toEqual([403, 'FORBIDDEN']);
      expect((await call(order.id, endpoint, await bearer('carol'))).status).toBe(404);
    }
    expect(
      (await server.request('GET', `/api/v1/orders/${order.id}`, { headers: await bearer('bob') })).body.status,
    ).toBe('paid');
  });

  it('when an operator (scope carthub:operator) moves any order, then every move of the table is allowed, and GET shows it', async () => {
    const order = await placeOrder('dave');
    const staff = await operator();
    expect((await call(order.id, 'payments', staff, { payment_id: 'pay-d-1', amount: order.total })).status).toBe(200);
    expect((await call(order.id, 'fulfilment', staff, { tracking_number: 'T-1' })).status).toBe(200);
    expect((await call(order.id, 'delivery', staff)).body.status).toBe('delivered');
    expect((await server.request('GET', `/api/v1/orders/${order.id}`, { headers: staff })).status).toBe(200);
    const refundable = await placeOrder('dave');
    await call(refundable.id, 'cancel', staff);
    expect((await call(refundable.id, 'refund', staff)).body.code).toBe('INVALID_TRANSITION');
  });

  it('when a token has other scopes, or the operator scope only as part of a word, then it is no operator', async () => {
    const order = await placeOrder('erin');
    await call(order.id, 'payments', await operator(), { payment_id: 'pay-e-1', amount: order.total });
    for (const scope of ['orders:write', 'carthub:operators', 'xcarthub:operator']) {
      const response = await call(order.id, 'fulfilment', await bearer('erin', { scope }));
      expect(response.status).toBe(403);
      expect((await call(order.id, 'fulfilment', await bearer('staff', { scope }))).status).toBe(404);
    }
  });

  it('when a transition comes without a token, then 401; the order states are public', async () => {
    const order = await placeOrder('frank');
    expect((await call(order.id, 'cancel', {})).status).toBe(401);
    expect((await server.request('GET', '/api/v1/order-states')).status).toBe(200);
  });
});
