import { SignJWT } from 'jose';
import { startTestServer, TestServer } from '../../test/test-server';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(SECRET);
const address = { street: '1 Loop', city: 'Austin', state: 'TX', zip: '78701' };

const bearer = async (subject: string, claims: Record<string, unknown> = {}) => ({
  Authorization: `Bearer ${await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key)}`,
});
const operator = () => bearer('support-desk', { scope: 'profile carthub:operator' });

describe('support reads: an operator reads any cart and order list, and changes none (auth on)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ settings: { auth: { jwtSecret: SECRET } } });
  });
  afterAll(() => server.close());

  const add = (customer: string, headers: Record<string, string>, productId = 'lamp') =>
    server.request('POST', '/api/v1/cart/items', {
      headers,
      body: { customer_id: customer, product_id: productId, product_name: 'Lamp', price: 5, quantity: 1 },
    });

  /** A customer with one placed order and a cart holding one lamp afterwards. */
  async function shopper(customer: string): Promise<{ orderId: string; headers: Record<string, string> }> {
    const headers = await bearer(customer);
    await add(customer, headers);
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      headers,
      body: { customer_id: customer, payment_method: 'paypal', shipping_address: address },
    });
    expect(placed.status).toBe(201);
    expect((await add(customer, headers)).status).toBe(200);
    return { orderId: placed.body.order_id, headers };
  }

  it("when an operator reads a customer's cart, order list, order and quote, then 200 with what the customer sees", async () => {
    const { orderId, headers } = await shopper('olivia');
    const staff = await operator();

    for (const [method, path, body] of [
      ['GET', '/api/v1/cart/olivia', undefined],
      ['GET', '/api/v1/customers/olivia/orders', undefined],
      ['GET', `/api/v1/orders/${orderId}`, undefined],
      ['POST', '/api/v1/cart/olivia/quote', { shipping_address: { country: 'US', state: 'TX' } }],
    ] as const) {
      const [seen, own] = [
        await server.request(method, path, { headers: staff, body }),
        await server.request(method, path, { headers, body }),
      ];
      expect([path, seen.status]).toEqual([path, 200]);
      expect(seen.body).toEqual(own.body);
    }
  });

  it("when an operator reads a guest's cart, then 200", async () => {
    const session = await server.request('POST', '/api/v1/guest-sessions');
    const guest = session.body.customer_id as string;
    await add(guest, { Authorization: `Bearer ${session.body.token}` });

    const seen = await server.request('GET', `/api/v1/cart/${guest}`, { headers: await operator() });

    expect([seen.status, seen.body.total_items]).toEqual([200, 1]);
  });

  it("when an operator tries to change another customer's cart, then 403 FORBIDDEN every time and the cart is as it was", async () => {
    const { headers } = await shopper('oscar');
    const before = (await server.request('GET', '/api/v1/cart/oscar', { headers })).body;
    const staff = await operator();

    const attempts = [
      await add('oscar', staff, 'desk'),
      await server.request('PUT', '/api/v1/cart/oscar/items/lamp', { headers: staff, body: { quantity: 3 } }),
      await server.request('DELETE', '/api/v1/cart/oscar/items/lamp', { headers: staff }),
      await server.request('DELETE', '/api/v1/cart/oscar', { headers: staff }),
      await server.request('POST', '/api/v1/cart/oscar/merge', {
        headers: staff,
        body: { source_customer_id: 'support-desk' },
      }),
      await server.request('POST', '/api/v1/cart/checkout', {
        headers: staff,
        body: { customer_id: 'oscar', payment_method: 'paypal', shipping_address: address },
      }),
    ];

    expect(attempts.map((response) => [response.status, response.body.code])).toEqual(
      attempts.map(() => [403, 'FORBIDDEN']),
    );
    expect((await server.request('GET', '/api/v1/cart/oscar', { headers })).body).toEqual(before);
    const orders = await server.request('GET', '/api/v1/customers/oscar/orders', { headers });
    expect(orders.body.orders).toHaveLength(1);
  });

  it("when a customer reads another customer's cart or orders, then 403 (404 for an order), as before", async () => {
    const { orderId } = await shopper('petra');
    const mallory = await bearer('mallory', { scope: 'profile' });

    const answers = [
      await server.request('GET', '/api/v1/cart/petra', { headers: mallory }),
      await server.request('GET', '/api/v1/customers/petra/orders', { headers: mallory }),
      await server.request('POST', '/api/v1/cart/petra/quote', {
        headers: mallory,
        body: { shipping_address: { country: 'US' } },
      }),
      await server.request('GET', `/api/v1/orders/${orderId}`, { headers: mallory }),
    ];

    expect(answers.map((response) => [response.status, response.body.code])).toEqual([
      [403, 'FORBIDDEN'],
      [403, 'FORBIDDEN'],
      [403, 'FORBIDDEN'],
      [404, 'ORDER_NOT_FOUND'],
    ]);
  });

  it('when nobody sends a token, then an operator read route still answers 401', async () => {
    const response = await server.request('GET', '/api/v1/cart/petra');

    expect([response.status, response.body.code]).toEqual([401, 'UNAUTHORIZED']);
  });
});
