import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestResponse, TestServer } from '../../test/test-server';

const AUTH_SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const WEBHOOK_SECRET = 'whsec-a-webhook-secret-of-at-least-32-bytes';
const address = { street: '1 Loop', city: 'Austin', state: 'TX', zip: '78701' };
const WEBHOOKS = '/api/v1/payment-webhooks';

const operatorToken = () =>
  new SignJWT({ scope: 'carthub:operator' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('shop-staff')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(AUTH_SECRET));

const now = () => Math.floor(Date.now() / 1000);
const sign = (rawBody: string, t = now(), secret = WEBHOOK_SECRET) =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex')}`;

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

describe('POST /api/v1/payment-webhooks (authentication on)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      settings: { auth: { jwtSecret: AUTH_SECRET }, paymentWebhookSecret: WEBHOOK_SECRET },
    });
  });
  afterAll(() => server.close());

  async function placeOrder(): Promise<{ id: string; total: number }> {
    const customer = unique('webhook-buyer');
    const headers = { Authorization: `Bearer ${await customerToken(customer)}` };
    await server.request('POST', '/api/v1/cart/items', {
      headers,
      body: { customer_id: customer, product_id: 'lamp', product_name: 'Lamp', price: 12.5, quantity: 2 },
    });
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      headers,
      body: { customer_id: customer, payment_method: 'credit_card', shipping_address: address },
    });
    expect(placed.status).toBe(201);
    return { id: placed.body.order_id, total: placed.body.total_amount };
  }
  const customerToken = (subject: string) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(AUTH_SECRET));

  const captured = (order: { id: string; total: number }, fields: object = {}) =>
    JSON.stringify({
      type: 'payment.captured',
      order_id: order.id,
      payment_id: unique('pay'),
      amount: order.total,
      currency: 'USD',
      ...fields,
    });
  /** A delivery as a provider sends it: these exact bytes, signed unless a signature is given. */
  const deliver = (rawBody: string, signature: string | null = sign(rawBody)) =>
    server.request('POST', WEBHOOKS, {
      rawBody,
      headers: {
        'content-type': 'application/json',
        ...(signature === null ? {} : { 'Carthub-Signature': signature }),
      },
    });
  const orderNow = async (id: string) =>
    (
      await server.request('GET', `/api/v1/orders/${id}`, {
        headers: { Authorization: `Bearer ${await operatorToken()}` },
      })
    ).body;
  const paidEvents = async (id: string) =>
    queryDatabase(
      server.database.url,
      `select sequence from outbox_events where aggregate_type = 'order' and aggregate_id = $1 and type = 'order.paid'`,
      [id],
    );

  it('when a signed payment.captured arrives (no bearer token), then 200 with the order paid, as an operator payment would', async () => {
    const order = await placeOrder();
    const body = captured(order, { payment_id: 'pay-webhook-1' });

    const response = await deliver(body);

    expect(response.status).toBe(200);
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    expect(response.headers.get('etag')).toBe('"2"');
    expect(response.body).toMatchObject({
      order_id: order.id,
      status: 'paid',
      version: 2,
      payment_id: 'pay-webhook-1',
    });
    expect(await orderNow(order.id)).toEqual(response.body);
    expect(await paidEvents(order.id)).toEqual([{ sequence: 2 }]);
  });

  it('when the body is signed as sent (spacing and key order of its own), then the signature is checked over those bytes and the payment recorded', async () => {
    const order = await placeOrder();
    const body = `{\n  "currency" : "USD",\n  "amount" : ${order.total},\n  "payment_id" : "pay-pretty-1",\n  "order_id" : "${order.id}",\n  "type" : "payment.captured"\n}`;

    const response = await deliver(body);

    expect([response.status, response.body.payment_id]).toEqual([200, 'pay-pretty-1']);
  });

  it('when the same delivery is replayed (the provider retries), then 200 with Idempotent-Replayed: true and nothing changes', async () => {
    const order = await placeOrder();
    const body = captured(order);
    const first = await deliver(body);
    const again = await deliver(body);
    const resigned = await deliver(body, sign(body, now() - 10));

    for (const replay of [again, resigned]) {
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
    }
    expect(await paidEvents(order.id)).toHaveLength(1);
  });

  it.each([
    ['no signature header', () => null],
    ['a signature made with another secret', (body: string) => sign(body, now(), `${WEBHOOK_SECRET}-but-another`)],
    ['the signature of another body', (body: string) => sign(body.replace('USD', 'usd'))],
    ['an empty header', () => ''],
    ['no t', (body: string) => sign(body).replace(/^t=\d+,/, '')],
    ['no v1', (body: string) => sign(body).replace(/,v1=.*$/, '')],
    ['a t that is not a number', (body: string) => sign(body).replace(/^t=\d+/, 't=soon')],
    ['a v1 that is not hex', (body: string) => sign(body).replace(/v1=[0-9a-f]{4}/, 'v1=zzzz')],
    ['a truncated v1', (body: string) => sign(body).slice(0, -2)],
    ['garbage', () => 'Bearer abc'],
    // A minute past the tolerance either way, so the seconds a busy machine takes to deliver cannot bring t back within it.
    ['t more than 300 s ago', (body: string) => sign(body, now() - 360)],
    ['t more than 300 s ahead', (body: string) => sign(body, now() + 360)],
  ])('when a delivery comes with %s, then 401 UNAUTHORIZED and the order stays pending', async (_case, signature) => {
    const order = await placeOrder();
    const body = captured(order);

    const response = await deliver(body, signature(body));

    expect([response.status, response.body.code, response.body.success]).toEqual([401, 'UNAUTHORIZED', false]);
    expect(response.body.request_id).toBe(response.headers.get('x-request-id'));
    expect(await orderNow(order.id)).toMatchObject({ status: 'pending', version: 1, payment_id: null });
  });

  it('when a delivery is signed but for another currency, then 422 PAYMENT_CURRENCY_MISMATCH and the order stays pending; the currency is read case-insensitively', async () => {
    const order = await placeOrder();

    const wrong = await deliver(captured(order, { currency: 'EUR' }));

    expect([wrong.status, wrong.body.code]).toEqual([422, 'PAYMENT_CURRENCY_MISMATCH']);
    expect(wrong.body.error).toBe('The payment is in EUR, the order in USD');
    expect(await orderNow(order.id)).toMatchObject({ status: 'pending', version: 1 });
    expect((await deliver(captured(order, { currency: 'usd' }))).body.status).toBe('paid');
  });

  it('when a signed delivery breaks a payments rule, then the same refusal an operator payment gets, and a refused payment_id stays free', async () => {
    const order = await placeOrder();
    const mismatch = await deliver(captured(order, { payment_id: 'pay-webhook-refused', amount: order.total + 0.01 }));
    expect([mismatch.status, mismatch.body.code]).toEqual([422, 'PAYMENT_AMOUNT_MISMATCH']);

    expect((await deliver(captured(order, { payment_id: 'pay-webhook-refused' }))).status).toBe(200);
    const secondPayment = await deliver(captured(order));
    expect([secondPayment.status, secondPayment.body.code]).toEqual([409, 'ORDER_ALREADY_PAID']);

    const other = await placeOrder();
    const reused = await deliver(captured(other, { payment_id: 'pay-webhook-refused' }));
    expect([reused.status, reused.body.code]).toEqual([409, 'PAYMENT_ID_IN_USE']);

    const cancelled = await placeOrder();
    await server.request('POST', `/api/v1/orders/${cancelled.id}/cancel`, {
      headers: { Authorization: `Bearer ${await operatorToken()}` },
    });
    const late = await deliver(captured(cancelled));
    expect([late.status, late.body.code, late.body.status]).toEqual([409, 'INVALID_TRANSITION', 'cancelled']);

    const missing = await deliver(captured({ id: '7b0c6a59-6b0e-4a8e-9d0e-1f2a3b4c5d6e', total: 1 }));
    expect([missing.status, missing.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
  });

  it('when a signed body is not a payment.captured the contract describes, then 422 VALIDATION_FAILED and nothing changes', async () => {
    const order = await placeOrder();
    const refusals: TestResponse[] = [];
    for (const body of [
      captured(order, { type: 'payment.refunded' }),
      captured(order, { currency: 'dollars' }),
      captured(order, { amount: 1.001 }),
      captured(order, { extra: true }),
      JSON.stringify({ type: 'payment.captured', order_id: order.id }),
    ]) {
      refusals.push(await deliver(body));
    }
    expect(refusals.map((r) => [r.status, r.body.code])).toEqual(Array(5).fill([422, 'VALIDATION_FAILED']));
    expect(await orderNow(order.id)).toMatchObject({ status: 'pending', version: 1 });
  });

  it('when 30 reports of one payment race, from the webhook and from an operator at once, then exactly one transition', async () => {
    const order = await placeOrder();
    const body = captured(order, { payment_id: 'pay-raced' });
    const staff = { Authorization: `Bearer ${await operatorToken()}` };

    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2 === 0
          ? deliver(body)
          : server.request('POST', `/api/v1/orders/${order.id}/payments`, {
              headers: staff,
              body: { payment_id: 'pay-raced', amount: order.total },
            }),
      ),
    );

    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect(answers.every((a) => a.body.status === 'paid' && a.body.version === 2)).toBe(true);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(29);
    expect(await paidEvents(order.id)).toEqual([{ sequence: 2 }]);
  });
});

describe('POST /api/v1/payment-webhooks without PAYMENT_WEBHOOK_SECRET', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ settings: { auth: { jwtSecret: AUTH_SECRET } } });
  });
  afterAll(() => server.close());

  it('when a delivery arrives, signed or not, then 404 NOT_FOUND, as for a route that does not exist', async () => {
    const body = JSON.stringify({
      type: 'payment.captured',
      order_id: '7b0c6a59-6b0e-4a8e-9d0e-1f2a3b4c5d6e',
      payment_id: 'pay-1',
      amount: 1,
      currency: 'USD',
    });
    const signatures: Record<string, string>[] = [{}, { 'Carthub-Signature': sign(body) }];
    for (const headers of signatures) {
      const response = await server.request('POST', WEBHOOKS, {
        rawBody: body,
        headers: { 'content-type': 'application/json', ...headers },
      });
      expect([response.status, response.body.code]).toEqual([404, 'NOT_FOUND']);
    }
  });
});

describe('POST /api/v1/payment-webhooks with authentication off', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ settings: { paymentWebhookSecret: WEBHOOK_SECRET } });
  });
  afterAll(() => server.close());

  it('when a delivery is unsigned, then 401 all the same; signed, 200', async () => {
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'dev-buyer', product_id: 'lamp', product_name: 'Lamp', price: 3, quantity: 1 },
    });
    const placed = await server.request('POST', '/api/v1/cart/checkout', {
      body: { customer_id: 'dev-buyer', payment_method: 'paypal', shipping_address: address },
    });
    const body = JSON.stringify({
      type: 'payment.captured',
      order_id: placed.body.order_id,
      payment_id: 'pay-dev-1',
      amount: 3,
      currency: 'USD',
    });
    const send = (headers: Record<string, string>) =>
      server.request('POST', WEBHOOKS, { rawBody: body, headers: { 'content-type': 'application/json', ...headers } });

    expect((await send({})).status).toBe(401);
    expect((await send({ 'Carthub-Signature': sign(body) })).body.status).toBe('paid');
  });
});
