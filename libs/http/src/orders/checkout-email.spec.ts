import { countOrders, queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

describe('a receipt address on checkout (email)', () => {
  let server: TestServer;
  const address = { street: '123 Main St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const add = (customer: string) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customer, product_id: 'p-1', product_name: 'Product', price: '10.00', quantity: 1 },
    });
  const checkout = (customer: string, extra: object = {}) =>
    server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customer, payment_method: 'credit_card', shipping_address: address, ...extra },
    });
  const orderEvents = (orderId: string) =>
    queryDatabase<{ envelope: { data: { order: { email: string | null } } } }>(
      server.database.url,
      `select envelope from outbox_events where aggregate_type = 'order' and aggregate_id = $1 order by position`,
      [orderId],
    );
  const ordersOf = (customer: string) => countOrders(server.database.url, customer);

  it('when checkout sends an email, then the order keeps it: in its answer, its reads, its list and its event', async () => {
    await add('receipt');
    const email = 'Shopper.Name+tag@example.co.uk';

    const placed = await checkout('receipt', { email });

    expect(placed.status).toBe(201);
    expect(placed.body.order.email).toBe(email);
    const orderId = placed.body.order_id;
    expect((await server.request('GET', `/api/v1/orders/${orderId}`)).body.email).toBe(email);
    expect((await server.request('GET', '/api/v1/customers/receipt/orders')).body.orders[0].email).toBe(email);
    const events = await orderEvents(orderId);
    expect(events.map((event) => event.envelope.data.order.email)).toEqual([email]);

    const paid = await server.request('POST', `/api/v1/orders/${orderId}/payments`, {
      body: { payment_id: 'pay-receipt', amount: 10 },
    });
    expect(paid.body.email).toBe(email);
    expect((await orderEvents(orderId)).map((event) => event.envelope.data.order.email)).toEqual([email, email]);
  });

  it('when checkout sends no email, then the order has email null', async () => {
    await add('no-receipt');
    const placed = await checkout('no-receipt');
    expect(placed.status).toBe(201);
    expect(placed.body.order.email).toBeNull();
    expect((await orderEvents(placed.body.order_id))[0].envelope.data.order.email).toBeNull();
  });

  it('when the email is longest allowed, then it is kept whole', async () => {
    await add('long-receipt');
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(email).toHaveLength(254);
    const placed = await checkout('long-receipt', { email });
    expect(placed.status).toBe(201);
    expect(placed.body.order.email).toBe(email);
  });

  it.each([
    ['no at sign', 'shopper.example.com'],
    ['no domain', 'shopper@'],
    ['a space', 'shop per@example.com'],
    ['two at signs', 'a@b@example.com'],
    ['255 characters', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`],
    ['empty', ''],
    ['a number', 42],
    ['null', null],
  ])('when the email has %s, then 422 on email and no order', async (_, email) => {
    await add('bad-receipt');
    const refused = await checkout('bad-receipt', { email });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(refused.body.details.length).toBeGreaterThan(0);
    expect(refused.body.details.map((detail: { field: string }) => detail.field)).toEqual(
      refused.body.details.map(() => 'email'),
    );
    expect(await ordersOf('bad-receipt')).toBe(0);
  });
});
