import { parseRate, PricingRules, Rate } from '@carthub/domain';
import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

// US has state rules (and a country rule of 0: "Washington" must never fall through to it); Canada has none.
const rules: PricingRules = {
  tax: [
    { country: 'US', state: 'WA', rate: parseRate('0.101') as Rate },
    { country: 'US', rate: parseRate('0') as Rate },
  ],
};
const address = (state: string, country = 'US') => ({
  street: '1 Pike St',
  city: 'Seattle',
  state,
  zip: '98101',
  country,
});

describe('shipping state: a name or code in any case is taxed by its rule and stored as its ISO 3166-2 code', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ pricingRules: rules });
  });
  afterAll(() => server.close());

  const fill = (customerId: string) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: 'p', product_name: 'P', price: 20, quantity: 1 },
    });
  const quote = (customerId: string, shippingAddress: object) =>
    server.request('POST', `/api/v1/cart/${customerId}/quote`, { body: { shipping_address: shippingAddress } });
  const checkout = (customerId: string, shippingAddress: object) =>
    server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customerId, payment_method: 'credit_card', shipping_address: shippingAddress },
    });

  it.each(['Washington', 'washington', 'WASHINGTON', 'wa', 'WA', 'us-wa'])(
    'when the state is %p, then the quote and the order tax 2.02 and the order stores "WA"',
    async (state) => {
      const customerId = `state-${state}`;
      await fill(customerId);

      const quoted = await quote(customerId, address(state));
      const placed = await checkout(customerId, address(state));

      expect([quoted.status, quoted.body.tax]).toEqual([200, 2.02]);
      expect([placed.status, placed.body.order.tax, placed.body.order.shipping_address.state]).toEqual([
        201,
        2.02,
        'WA',
      ]);
      const read = await server.request('GET', `/api/v1/orders/${placed.body.order_id}`);
      expect(read.body.shipping_address.state).toBe('WA');
      const [stored] = await queryDatabase<{ state: string }>(
        server.database.url,
        `select shipping_address->>'state' as state from orders where order_id = $1`,
        [placed.body.order_id],
      );
      expect(stored.state).toBe('WA');
    },
  );

  it('when a US state names no US subdivision, then quote and checkout are 422 naming shipping_address.state, and nothing changes', async () => {
    await fill('state-narnia');

    const quoted = await quote('state-narnia', address('Narnia'));
    const placed = await checkout('state-narnia', address('Narnia'));

    for (const refused of [quoted, placed]) {
      expect([refused.status, refused.body.code]).toEqual([422, 'VALIDATION_FAILED']);
      expect(refused.body.details).toEqual([{ field: 'shipping_address.state', message: expect.any(String) }]);
    }
    const cart = await server.request('GET', '/api/v1/cart/state-narnia');
    expect([cart.body.version, cart.body.items.length]).toEqual([1, 1]);
    const orders = await server.request('GET', '/api/v1/customers/state-narnia/orders');
    expect(orders.body.orders).toEqual([]);
  });

  it('when a country has no state rules, then any state text is accepted, and a recognisable one is stored as its code', async () => {
    await fill('state-ca-name');
    await fill('state-ca-free');

    const named = await checkout('state-ca-name', address('british columbia', 'CA'));
    const free = await checkout('state-ca-free', address('Somewhere Else', 'CA'));

    expect([named.status, named.body.order.shipping_address.state, named.body.order.tax]).toEqual([201, 'BC', 0]);
    expect([free.status, free.body.order.shipping_address.state]).toEqual([201, 'Somewhere Else']);
  });
});
