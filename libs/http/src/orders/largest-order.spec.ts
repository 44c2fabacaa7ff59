import { parseRate, PricingRules, Rate } from '@carthub/domain';
import { startTestServer, TestServer } from '../../test/test-server';

// The most the limits allow: CART_MAX_ITEMS × CART_MAX_QUANTITY_PER_ITEM = 10,000 units (the configured bound), each
// at the largest price, taxed at 100 % (the highest rate a rules file may set), with the largest flat shipping.
const limits = { maxItems: 100, maxQuantityPerItem: 100 };
const rules: PricingRules = {
  tax: [{ country: 'US', rate: parseRate('1') as Rate }],
  shipping: { flat: 9_999_999_999 },
};
const address = { street: '1 Pike St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };

describe('the largest order the limits allow', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ limits, pricingRules: rules });
  });
  afterAll(() => server.close());

  it('when the fullest cart at the largest price is taxed at the highest rate, then quote and checkout agree and the order is placed (201, no overflow)', async () => {
    const customer = 'largest-cart';
    for (let line = 0; line < limits.maxItems; line++) {
      const added = await server.request('POST', '/api/v1/cart/items', {
        body: {
          customer_id: customer,
          product_id: `p-${line}`,
          product_name: 'Most expensive',
          price: 99_999_999.99,
          quantity: limits.maxQuantityPerItem,
        },
      });
      expect(added.status).toBe(200);
    }
    const quote = await server.request('POST', `/api/v1/cart/${customer}/quote`, {
      body: { shipping_address: address },
    });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({
      subtotal: 999_999_999_900,
      tax: 999_999_999_900,
      shipping: 99_999_999.99,
      total: 2_000_099_999_799.99,
    });

    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customer, payment_method: 'bank_transfer', shipping_address: address },
    });

    expect([placed.status, placed.body.code]).toEqual([201, undefined]);
    expect(placed.body.total_amount).toBe(quote.body.total);
    const read = await server.request('GET', `/api/v1/orders/${placed.body.order_id}`);
    expect(read.body).toMatchObject({
      subtotal: quote.body.subtotal,
      tax: quote.body.tax,
      shipping: quote.body.shipping,
      total_amount: quote.body.total,
    });
  });

  describe('amounts up to the largest order total (2,000,099,999,799.99 with these bounds)', () => {
    const toronto = { street: '1 Bay St', city: 'Toronto', state: 'ON', zip: 'M5J', country: 'CA' }; // no tax rule
    const LARGEST_TOTAL = 2_000_099_999_799.99;

    async function fillCart(customer: string): Promise<number> {
      await server.request('POST', '/api/v1/cart/items', {
        body: { customer_id: customer, product_id: 'p', product_name: 'P', price: 99_999_999.99, quantity: 99 },
      });
      const quote = await server.request('POST', `/api/v1/cart/${customer}/quote`, {
        body: { shipping_address: toronto },
      });
      return quote.body.total;
    }
    const checkout = (customer: string, expectedTotal: unknown) =>
      server.request('POST', '/api/v1/cart/checkout', {
        body: {
          customer_id: customer,
          payment_method: 'bank_transfer',
          shipping_address: toronto,
          expected_total: expectedTotal,
        },
      });
    const refusal = (response: { status: number; body: { code: string; details: object[] } }) => [
      response.status,
      response.body.code,
      response.body.details,
    ];

    it('when an order of more than 100,000,000.00 is checked out with its expected_total and paid with its amount, then both are accepted', async () => {
      const total = await fillCart('large-payer');
      expect(total).toBe(9_999_999_999); // 9,899,999,999.01 + 99,999,999.99 shipping

      const placed = await checkout('large-payer', total);
      expect([placed.status, placed.body.total_amount]).toEqual([201, total]);
      const paid = await server.request('POST', `/api/v1/orders/${placed.body.order_id}/payments`, {
        body: { payment_id: 'pay-large-1', amount: total },
      });

      expect([paid.status, paid.body.status]).toEqual([200, 'paid']);
    });

    it('when expected_total is over the largest order total, then 422 saying it must be at most that; with three decimals, the decimals message', async () => {
      await fillCart('large-expecter');
      for (const over of [LARGEST_TOTAL + 0.01, '2000099999800.00', 10_000_000_000_000]) {
        expect(refusal(await checkout('large-expecter', over))).toEqual([
          422,
          'VALIDATION_FAILED',
          [{ field: 'expected_total', message: `expected_total must be at most ${LARGEST_TOTAL}` }],
        ]);
      }
      expect(refusal(await checkout('large-expecter', 9_999_999_999.001))).toEqual([
        422,
        'VALIDATION_FAILED',
        [{ field: 'expected_total', message: 'expected_total must have at most two decimals' }],
      ]);
      expect((await server.request('GET', '/api/v1/customers/large-expecter/orders')).body.orders).toEqual([]);
    });

    it('when a payment amount is over the largest order total, then 422 saying it must be at most that; with three decimals, the decimals message', async () => {
      await fillCart('large-amount');
      const placed = await checkout('large-amount', undefined);
      const pay = (amount: unknown) =>
        server.request('POST', `/api/v1/orders/${placed.body.order_id}/payments`, {
          body: { payment_id: 'pay-large-2', amount },
        });
      for (const over of [LARGEST_TOTAL + 0.01, '2000099999800.00']) {
        expect(refusal(await pay(over))).toEqual([
          422,
          'VALIDATION_FAILED',
          [{ field: 'amount', message: `amount must be at most ${LARGEST_TOTAL}` }],
        ]);
      }
      expect(refusal(await pay(9_999_999_999.001))).toEqual([
        422,
        'VALIDATION_FAILED',
        [{ field: 'amount', message: 'amount must have at most two decimals' }],
      ]);
      expect((await server.request('GET', `/api/v1/orders/${placed.body.order_id}`)).body.status).toBe('pending');
    });
  });
});
