import { parseRate, PricingRules, Rate } from '@carthub/domain';
import { startTestServer, TestServer } from '../../test/test-server';

const rate = (text: string) => parseRate(text) as Rate;
const rules: PricingRules = {
  tax: [
    { country: 'US', state: 'WA', rate: rate('0.101') },
    { country: 'US', state: 'NY', rate: rate('0.1') },
    { country: 'US', rate: rate('0.05') },
  ],
  shipping: { flat: 599, freeOver: 10_000 },
};
const address = (state: string, country = 'US') => ({ street: '1 Main St', city: 'Town', state, zip: '1', country });

describe('POST /api/v1/cart/{customer_id}/quote', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ pricingRules: rules });
  });
  afterAll(() => server.close());

  const fill = async (customerId: string, price: number, quantity: number) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: 'p', product_name: 'P', price, quantity },
    });
  const quote = (customerId: string, state: string, country?: string) =>
    server.request('POST', `/api/v1/cart/${customerId}/quote`, { body: { shipping_address: address(state, country) } });

  it('when the cart ships to Washington, then tax is the subtotal × 10.1 % rounded once, plus flat shipping', async () => {
    await fill('q-wa', 12.99, 2);
    const response = await quote('q-wa', 'WA');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      subtotal: 25.98,
      tax: 2.62,
      shipping: 5.99,
      total: 34.59,
      currency: 'USD',
      cart_version: 1,
    });
  });

  it('when tax comes to half a cent, then it rounds up', async () => {
    await fill('q-half', 0.05, 1);
    expect((await quote('q-half', 'NY')).body).toMatchObject({ subtotal: 0.05, tax: 0.01 });
  });

  it('when the state is written in another case, or only the country has a rule, or neither, then the right rate applies', async () => {
    await fill('q-rules', 10, 1);
    expect((await quote('q-rules', 'wa')).body.tax).toBe(1.01);
    expect((await quote('q-rules', 'OR')).body.tax).toBe(0.5);
    expect((await quote('q-rules', 'BE', 'DE')).body.tax).toBe(0);
  });

  it('when the subtotal reaches the free-shipping threshold, then shipping is 0', async () => {
    await fill('q-free', 100, 1);
    expect((await quote('q-free', 'OR')).body).toMatchObject({ subtotal: 100, shipping: 0, total: 105 });
  });

  it('when the cart is empty, then 409 CART_EMPTY', async () => {
    const response = await quote('q-empty', 'WA');
    expect([response.status, response.body.code]).toEqual([409, 'CART_EMPTY']);
  });

  it('when a quote is asked, then the cart does not change', async () => {
    await fill('q-still', 3, 1);
    await quote('q-still', 'WA');
    expect((await server.request('GET', '/api/v1/cart/q-still')).body.version).toBe(1);
  });

  it('when the address has only a country and a state, then the quote answers: street, city and zip are for checkout', async () => {
    await fill('q-partial', 10, 1);
    const partial = (shippingAddress: object) =>
      server.request('POST', '/api/v1/cart/q-partial/quote', { body: { shipping_address: shippingAddress } });

    const withState = await partial({ country: 'US', state: 'Washington' });
    const countryOnly = await partial({ country: 'us' });

    expect([withState.status, withState.body.tax]).toEqual([200, 1.01]);
    expect([countryOnly.status, countryOnly.body.tax]).toEqual([200, 0.5]);
  });

  it('when a partial address has no country, then 422 naming shipping_address.country; checkout still needs the whole address', async () => {
    await fill('q-no-country', 10, 1);

    const quoted = await server.request('POST', '/api/v1/cart/q-no-country/quote', {
      body: { shipping_address: { state: 'WA' } },
    });
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      body: {
        customer_id: 'q-no-country',
        payment_method: 'credit_card',
        shipping_address: { country: 'US', state: 'WA' },
      },
    });

    expect([quoted.status, quoted.body.details]).toEqual([
      422,
      [{ field: 'shipping_address.country', message: expect.any(String) }],
    ]);
    expect(placed.status).toBe(422);
    expect(placed.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'shipping_address.city',
      'shipping_address.street',
      'shipping_address.zip',
    ]);
  });

  it('when the address is missing or malformed, then 422', async () => {
    await fill('q-bad', 3, 1);
    const missing = await server.request('POST', '/api/v1/cart/q-bad/quote', { body: {} });
    const badCountry = await quote('q-bad', 'WA', 'ZZZ');
    expect([missing.status, badCountry.status]).toEqual([422, 422]);
  });
});
