import { PricingRules } from '@carthub/domain';
import { cleanupUnpaidOrders } from '@carthub/persistence';
import { queryDatabase } from '@carthub/persistence/testing';
import { serializeEvent } from '../events/serialize';
import { startTestServer, TestServer } from '../../test/test-server';

const address = { street: '1 Main St', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };
const rules: PricingRules = {
  tax: [{ country: 'US', state: 'WA', rate: { numerator: 101n, denominator: 1000n } }],
  shipping: { flat: 599, freeOver: 10_000 },
};

describe('discount codes on carts, quotes and orders', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Checkouts of one limited code queue on its row until each commits; a burst of 500 on 30 connections waits
    // longer for a connection than DB_CONNECT_TIMEOUT_MS's default allows (those would be 503, nothing written).
    server = await startTestServer({ pricingRules: rules, poolMax: 30, connectTimeoutMs: 20_000 });
  });
  afterAll(() => server.close());

  const createCode = async (body: object) => {
    const response = await server.request('POST', '/api/v1/discount-codes', { body });
    expect(response.status).toBe(201);
    return response.body;
  };
  const add = (customer: string, product: string, price: number | string, quantity: number) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customer, product_id: product, product_name: product, price, quantity },
    });
  const addCode = (customer: string, code: unknown) =>
    server.request('POST', `/api/v1/cart/${customer}/discount-codes`, { body: { code } });
  const checkout = (customer: string, extra: object = {}) =>
    server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: customer, payment_method: 'credit_card', shipping_address: address, ...extra },
    });
  const quote = (customer: string) =>
    server.request('POST', `/api/v1/cart/${customer}/quote`, { body: { shipping_address: address } });
  const timesUsed = async (code: string) =>
    (await server.request('GET', `/api/v1/discount-codes/${code}`)).body.times_used as number;
  const cartEvents = (customer: string) =>
    queryDatabase<{ type: string; sequence: number; code: string | null }>(
      server.database.url,
      `select type, sequence, envelope->'data'->>'code' as code from outbox_events
        where aggregate_type = 'cart' and aggregate_id = $1 order by position`,
      [customer],
    );

  it('when a shopper puts a code on the cart, then version +1, the cart shows it applied with line shares, and cart.discount_code_added', async () => {
    await createCode({ code: 'TENOFF', type: 'percentage', value: 10 });
    await add('shopper-1', 'a', '10.01', 1);
    await add('shopper-1', 'b', '20.02', 1);
    const added = await addCode('shopper-1', 'tenoff');
    expect(added.status).toBe(200);
    expect(added.body.cart).toMatchObject({
      version: 3,
      subtotal: 30.03,
      discount: 3,
      discount_codes: [{ code: 'TENOFF', type: 'percentage', applicable: true, reason: null, amount: 3 }],
      items: [
        { product_id: 'a', discount: 1 },
        { product_id: 'b', discount: 2 },
      ],
    });
    const again = await addCode('shopper-1', 'TENOFF');
    expect([again.status, again.body.cart.version]).toEqual([200, 3]);
    expect((await cartEvents('shopper-1')).slice(-1)).toEqual([
      { type: 'cart.discount_code_added', sequence: 3, code: 'TENOFF' },
    ]);

    const removed = await server.request('DELETE', '/api/v1/cart/shopper-1/discount-codes/tenoff');
    expect(removed.status).toBe(200);
    expect(removed.body.cart).toMatchObject({ version: 4, discount: 0, discount_codes: [] });
    expect((await cartEvents('shopper-1')).slice(-1)).toEqual([
      { type: 'cart.discount_code_removed', sequence: 4, code: 'TENOFF' },
    ]);
    const notThere = await server.request('DELETE', '/api/v1/cart/shopper-1/discount-codes/TENOFF');
    expect([notThere.status, notThere.body.code]).toEqual([404, 'DISCOUNT_CODE_NOT_ON_CART']);
  });

  it.each([
    ['an unknown code', 'NOSUCH', 422, 'DISCOUNT_CODE_NOT_FOUND', undefined],
    ['an inactive code', 'OFFCODE', 422, 'DISCOUNT_CODE_NOT_APPLICABLE', 'INACTIVE'],
    ['a code not yet started', 'LATER', 422, 'DISCOUNT_CODE_NOT_APPLICABLE', 'NOT_STARTED'],
    ['an ended code', 'OVER', 422, 'DISCOUNT_CODE_NOT_APPLICABLE', 'ENDED'],
    ['a second code of a type', 'FIVEOFF', 409, 'DISCOUNT_CODE_CONFLICT', undefined],
    ['a malformed code', 'no spaces', 422, 'VALIDATION_FAILED', undefined],
    ['a code that is not text', 42, 422, 'VALIDATION_FAILED', undefined],
  ])(
    'when a shopper sends %s (%p), then %i %s and the cart is unchanged',
    async (_what, code, status, errorCode, reason) => {
      await Promise.all([
        createCode({ code: 'OFFCODE', type: 'fixed', value: 1, active: false }).catch(() => undefined),
        createCode({ code: 'LATER', type: 'fixed', value: 1, starts_at: '2099-01-01T00:00:00Z' }).catch(
          () => undefined,
        ),
        createCode({ code: 'OVER', type: 'fixed', value: 1, ends_at: '2020-01-01T00:00:00Z' }).catch(() => undefined),
        createCode({ code: 'FIVEOFF', type: 'percentage', value: 5 }).catch(() => undefined),
        createCode({ code: 'SEVENOFF', type: 'percentage', value: 7 }).catch(() => undefined),
      ]);
      const customer = `refused-${String(code).replace(/\W/g, '')}`;
      await add(customer, 'a', 5, 1);
      expect((await addCode(customer, 'SEVENOFF')).status).toBe(200);
      const before = await server.request('GET', `/api/v1/cart/${customer}`);
      const response = await addCode(customer, code);
      expect([response.status, response.body.code]).toEqual([status, errorCode]);
      if (reason) expect(response.body.reason).toBe(reason);
      if (errorCode === 'DISCOUNT_CODE_CONFLICT') expect(response.body.conflicting_code).toBe('SEVENOFF');
      if (errorCode === 'VALIDATION_FAILED')
        expect(response.body.details).toEqual([expect.objectContaining({ field: 'code' })]);
      expect((await server.request('GET', `/api/v1/cart/${customer}`)).body).toEqual(before.body);
    },
  );

  it('when the quote is taken and the order placed, then both take the same discount, tax on the discounted subtotal, free shipping, to the cent', async () => {
    await createCode({ code: 'THIRD', type: 'percentage', value: 33.33 });
    await createCode({ code: 'TAKE7', type: 'fixed', value: '7.77', product_ids: ['odd'] });
    await createCode({ code: 'SHIPFREE', type: 'free_shipping', min_subtotal: 10 });
    await add('quoted', 'odd', '3.33', 7);
    await add('quoted', 'even', '19.99', 3);
    for (const code of ['third', 'take7', 'shipfree']) expect((await addCode('quoted', code)).status).toBe(200);

    const cart = (await server.request('GET', '/api/v1/cart/quoted')).body;
    const shown = await quote('quoted');
    expect(shown.status).toBe(200);
    // subtotal 23.31 + 59.97 = 83.28; 33.33 % of it = 27.757… → 27.76; 7.77 off what is left of `odd`; shipping 5.99 saved.
    expect(shown.body).toMatchObject({ subtotal: 83.28, discount: 35.53, shipping: 0 });
    expect(cart.discount).toBe(35.53);
    expect(
      cart.items.reduce((sum: number, item: { discount: number }) => sum + Math.round(item.discount * 100), 0),
    ).toBe(3553);
    expect(cart.discount_codes.map((c: { amount: number }) => c.amount)).toEqual([27.76, 7.77, 5.99]);

    const placed = await checkout('quoted', { expected_total: shown.body.total });
    expect(placed.status).toBe(201);
    const order = placed.body.order;
    expect(order).toMatchObject({
      subtotal: 83.28,
      discount: 35.53,
      tax: shown.body.tax,
      shipping: 0,
      total_amount: shown.body.total,
      discount_codes: [
        { code: 'THIRD', type: 'percentage', amount: 27.76 },
        { code: 'TAKE7', type: 'fixed', amount: 7.77 },
        { code: 'SHIPFREE', type: 'free_shipping', amount: 5.99 },
      ],
    });
    expect(order.items.map((item: { discount: number }) => item.discount)).toEqual(
      cart.items.map((item: { discount: number }) => item.discount),
    );
    expect(Math.round(order.total_amount * 100)).toBe(8328 - 3553 + Math.round(order.tax * 100));
    expect((await server.request('GET', `/api/v1/orders/${order.order_id}`)).body).toEqual(order);
    expect(await timesUsed('THIRD')).toBe(1);
    expect((await server.request('GET', '/api/v1/cart/quoted')).body.discount_codes).toEqual([]);
  });

  it('when a code is deactivated after it was applied, then the next read shows INACTIVE and checkout does not apply or count it', async () => {
    await createCode({ code: 'FADES', type: 'fixed', value: 2 });
    await add('faded', 'a', 10, 1);
    await addCode('faded', 'FADES');
    await server.request('PATCH', '/api/v1/discount-codes/FADES', { body: { active: false } });
    const cart = (await server.request('GET', '/api/v1/cart/faded')).body;
    expect(cart.discount_codes).toEqual([
      { code: 'FADES', type: 'fixed', applicable: false, reason: 'INACTIVE', amount: 0 },
    ]);
    expect(cart.discount).toBe(0);
    const placed = await checkout('faded');
    expect(placed.body.order).toMatchObject({ discount: 0, discount_codes: [], total_amount: 10 + 1.01 + 5.99 });
    expect(await timesUsed('FADES')).toBe(0);
  });

  it('when 500 customers check out at once with a code limited to 100, then exactly 100 orders are discounted and times_used is 100', async () => {
    await createCode({ code: 'FIRST100', type: 'fixed', value: 1, usage_limit: 100 });
    const customers = Array.from({ length: 500 }, (_, i) => `race-${i}`);
    await inBatches(customers, async (customer) => {
      await add(customer, 'p', 10, 1);
      expect((await addCode(customer, 'FIRST100')).status).toBe(200);
    });
    const answers = await Promise.all(customers.map((customer) => checkout(customer)));
    expect(answers.map((answer) => answer.status)).toEqual(customers.map(() => 201));
    const discounted = answers.filter((answer) => answer.body.order.discount === 1);
    expect(discounted).toHaveLength(100);
    expect(answers.filter((answer) => answer.body.order.discount === 0)).toHaveLength(400);
    expect(await timesUsed('FIRST100')).toBe(100);
  });

  it('when 500 check out at once with expected_total and a code limited to 100, then 400 are 409 TOTAL_CHANGED and count nothing', async () => {
    await createCode({ code: 'EXPECT100', type: 'fixed', value: 1, usage_limit: 100 });
    const customers = Array.from({ length: 500 }, (_, i) => `expect-${i}`);
    await inBatches(customers, async (customer) => {
      await add(customer, 'p', 10, 1);
      await addCode(customer, 'EXPECT100');
    });
    const total = (await quote(customers[0])).body.total;
    const answers = await Promise.all(customers.map((customer) => checkout(customer, { expected_total: total })));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(100);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(400);
    expect(refused.every((answer) => answer.body.code === 'TOTAL_CHANGED')).toBe(true);
    expect(await timesUsed('EXPECT100')).toBe(100);
    const orders = await queryDatabase<{ n: number }>(
      server.database.url,
      `select count(*)::int as n from orders where customer_id like 'expect-%'`,
    );
    expect(orders[0].n).toBe(100);
  });

  it('when one customer races checkouts with a code limited to one use per customer, then at most one of their orders has it', async () => {
    await createCode({ code: 'ONCEEACH', type: 'fixed', value: 1, usage_limit_per_customer: 1 });
    const customers = Array.from({ length: 20 }, (_, i) => `once-${i}`);
    await Promise.all(
      customers.flatMap((customer) =>
        [1, 2, 3].map(async () => {
          await add(customer, 'p', 10, 1);
          await addCode(customer, 'ONCEEACH');
          await checkout(customer);
        }),
      ),
    );
    const rows = await queryDatabase<{ customer_id: string; n: number }>(
      server.database.url,
      `select customer_id, count(*)::int as n from orders where customer_id like 'once-%' and discount > 0 group by customer_id`,
    );
    expect(rows.every((row) => row.n === 1)).toBe(true);
    const used = await queryDatabase<{ n: number }>(
      server.database.url,
      `select coalesce(sum(times_used), 0)::int as n from discount_code_customer_uses where code = 'ONCEEACH'`,
    );
    expect(used[0].n).toBe(rows.length);
    expect(await timesUsed('ONCEEACH')).toBe(rows.length);
    // A customer who used it sees it used up on the next cart.
    const again = rows[0].customer_id;
    await add(again, 'p', 10, 1);
    const cart = (await addCode(again, 'ONCEEACH')).body.cart;
    expect(cart.discount_codes[0]).toMatchObject({ applicable: false, reason: 'USAGE_LIMIT_REACHED' });
  });

  it('when cancel races a payment, then the use comes back exactly when the cancel won, once', async () => {
    await createCode({ code: 'GIVEBACK', type: 'fixed', value: 1 });
    const orders: { id: string; total: number }[] = [];
    for (let i = 0; i < 10; i++) {
      await add(`cancel-${i}`, 'p', 10, 1);
      await addCode(`cancel-${i}`, 'GIVEBACK');
      const placed = await checkout(`cancel-${i}`);
      orders.push({ id: placed.body.order_id, total: placed.body.total_amount });
    }
    expect(await timesUsed('GIVEBACK')).toBe(10);
    const outcomes = await Promise.all(
      orders.map(async ({ id, total }, i) => {
        const [cancel, pay, cancelAgain] = await Promise.all([
          server.request('POST', `/api/v1/orders/${id}/cancel`, { body: {} }),
          server.request('POST', `/api/v1/orders/${id}/payments`, { body: { payment_id: `pay-${i}`, amount: total } }),
          server.request('POST', `/api/v1/orders/${id}/cancel`, { body: {} }),
        ]);
        const cancels = [cancel, cancelAgain].filter((answer) => answer.status === 200).length;
        expect(cancels + (pay.status === 200 ? 1 : 0)).toBe(1);
        return cancels;
      }),
    );
    const cancelled = outcomes.reduce((a, b) => a + b, 0);
    expect(await timesUsed('GIVEBACK')).toBe(10 - cancelled);
  });
});

describe('discount codes when orders expire and carts merge', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const addWithCode = async (customer: string, code: string) => {
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customer, product_id: 'p', product_name: 'p', price: 10, quantity: 1 },
    });
    return server.request('POST', `/api/v1/cart/${customer}/discount-codes`, { body: { code } });
  };

  it('when unpaid orders expire, then their uses come back once, and expiring again changes nothing', async () => {
    await server.request('POST', '/api/v1/discount-codes', { body: { code: 'EXPIRES', type: 'fixed', value: 1 } });
    for (const customer of ['exp-1', 'exp-2']) {
      await addWithCode(customer, 'EXPIRES');
      await server.request('POST', '/api/v1/cart/checkout', {
        body: { customer_id: customer, payment_method: 'paypal', shipping_address: address },
      });
    }
    const used = async () => (await server.request('GET', '/api/v1/discount-codes/EXPIRES')).body.times_used;
    expect(await used()).toBe(2);
    const settings = { url: server.database.url };
    await expect(
      cleanupUnpaidOrders(settings, serializeEvent, { paymentTtlSeconds: 0 }),
    ).resolves.toBeGreaterThanOrEqual(2);
    expect(await used()).toBe(0);
    await cleanupUnpaidOrders(settings, serializeEvent, { paymentTtlSeconds: 0 });
    expect(await used()).toBe(0);
  });

  it('when a guest cart merges, then its code joins the target, or is dropped with DISCOUNT_CODE_DROPPED where the target has that type', async () => {
    for (const body of [
      { code: 'GUESTPCT', type: 'percentage', value: 5 },
      { code: 'GUESTSHIP', type: 'free_shipping' },
      { code: 'MINEPCT', type: 'percentage', value: 10 },
    ]) {
      await server.request('POST', '/api/v1/discount-codes', { body });
    }
    await addWithCode('guest_merging', 'GUESTPCT');
    await server.request('POST', '/api/v1/cart/guest_merging/discount-codes', { body: { code: 'GUESTSHIP' } });
    await addWithCode('member', 'MINEPCT');
    const merged = await server.request('POST', '/api/v1/cart/member/merge', {
      body: { source_customer_id: 'guest_merging' },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.cart.discount_codes.map((c: { code: string }) => c.code)).toEqual(['MINEPCT', 'GUESTSHIP']);
    expect(merged.body.warnings).toEqual([{ code: 'DISCOUNT_CODE_DROPPED', discount_code: 'GUESTPCT' }]);
    expect((await server.request('GET', '/api/v1/cart/guest_merging')).body.discount_codes).toEqual([]);
  });
});

/** Runs `work` over `items`, 25 at a time: enough to be quick, few enough to leave the pool to the test itself. */
async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += 25) await Promise.all(items.slice(start, start + 25).map(work));
}
