import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@carthub/persistence/testing';
import { RunningServer } from './server';
import { startLocalServer } from '../test/local-server';

const WEBHOOK_SECRET = 'a-payment-webhook-secret-32-bytes-or-more';

describe('startServer', () => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startLocalServer(database.url, {
      DB_STATEMENT_TIMEOUT_MS: '300',
      CHECKOUT_MAX_PER_MINUTE: '2',
      IDEMPOTENCY_MAX_KEYS_PER_CUSTOMER: '1',
      METRICS_PORT: '0',
      PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
  });

  afterAll(async () => {
    await server.shutdown();
    await database.drop();
  });

  it('when assembled on a configured database, then it serves health and carts over HTTP', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(await health.json()).toMatchObject({ status: 'healthy', database: 'connected' });
    const added = await fetch(`${server.url}/api/v1/cart/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: 'c', product_id: 'p', product_name: 'P', price: '2.50', quantity: 2 }),
    });
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ cart: { subtotal: 5 } });
  });

  it('when PAYMENT_WEBHOOK_SECRET is set, then the payment webhook checks signatures with it: unsigned 401, signed for an unknown order 404', async () => {
    const body = JSON.stringify({
      type: 'payment.captured',
      order_id: '7b0c6a59-6b0e-4a8e-9d0e-1f2a3b4c5d6e',
      payment_id: 'pay-1',
      amount: 1,
      currency: 'USD',
    });
    const t = Math.floor(Date.now() / 1000);
    const signature = `t=${t},v1=${createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex')}`;
    const send = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/v1/payment-webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    expect((await send({})).status).toBe(401);
    expect(await (await send({ 'Carthub-Signature': signature })).json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });

  it('when METRICS_PORT is set, then Prometheus scrapes /metrics there, with the pool gauges, and the public port has no /metrics', async () => {
    await fetch(`${server.url}/health`);
    const scrape = await fetch(`${server.metricsUrl}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/);
    expect(text).toMatch(/carthub_db_pool_idle \d+/);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('when a write waits on a lock past DB_STATEMENT_TIMEOUT_MS, then 503 and nothing is written', async () => {
    const add = () =>
      fetch(`${server.url}/api/v1/cart/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer_id: 'locked', product_id: 'p', product_name: 'P', price: 1, quantity: 1 }),
      });
    expect((await add()).status).toBe(200);
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`select * from carts where customer_id = 'locked' for update`);
      const blocked = await add();
      expect(blocked.status).toBe(503);
      expect(await blocked.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const cart = await (await fetch(`${server.url}/api/v1/cart/locked`)).json();
    expect(cart).toMatchObject({ total_items: 1, version: 1 });
  });

  it('when the configured quotas are passed, then checkouts answer 429 RATE_LIMITED with Retry-After', async () => {
    const post = (path: string, body: object, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const checkout = (customer: string, key?: string) =>
      post(
        '/api/v1/cart/checkout',
        {
          customer_id: customer,
          payment_method: 'paypal',
          shipping_address: { street: 's', city: 'c', state: 'st', zip: 'z' },
        },
        key ? { 'Idempotency-Key': key } : {},
      );
    const addPen = (customer: string) =>
      post('/api/v1/cart/items', { customer_id: customer, product_id: 'p', product_name: 'P', price: 1, quantity: 1 });

    const statuses = [];
    for (let i = 0; i < 3; i++) {
      await addPen('buyer');
      statuses.push((await checkout('buyer')).status);
    }
    expect(statuses).toEqual([201, 201, 429]);

    await addPen('keyed');
    expect((await checkout('keyed', 'first')).status).toBe(201);
    await addPen('keyed');
    const second = await checkout('keyed', 'second');
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await second.json()).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
