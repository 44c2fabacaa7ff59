import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import Koa from 'koa';
import { startTestServer, TestServer } from '../../test/test-server';
import { Metrics } from './metrics';
import { createMetricsApp } from './metrics-app';

const errors: unknown[] = [];
const logger = { info: () => undefined, warn: () => undefined, error: (fields: object) => errors.push(fields) };

async function listen(app: Koa): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('/metrics', () => {
  let server: TestServer;
  let scrapes: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await startTestServer();
    scrapes = await listen(createMetricsApp(server.metrics, logger));
  });
  afterAll(async () => {
    await scrapes.close();
    await server.close();
  });

  it('when requests were served, then Prometheus text has their durations by route and status, business counters and process metrics', async () => {
    const address = { street: 's', city: 'c', state: 's', zip: 'z' };
    await server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: 'm', product_id: 'p', product_name: 'P', price: 1, quantity: 3 },
    });
    await server.request('GET', '/api/v1/cart/m');
    const checkout = { customer_id: 'm', payment_method: 'paypal', shipping_address: address };
    await server.request('POST', '/api/v1/cart/checkout', { body: checkout, headers: { 'Idempotency-Key': 'once' } });
    await server.request('POST', '/api/v1/cart/checkout', { body: checkout, headers: { 'Idempotency-Key': 'once' } });

    const response = await fetch(`${scrapes.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/cart\/:customer_id",status="200"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/cart\/items",status="200"\} 1/,
    );
    expect(text).toContain('carthub_cart_items_added_total 3');
    expect(text).toContain('carthub_checkouts_total 1');
    expect(text).toContain('carthub_idempotent_replays_total 1');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).not.toMatch(/route="\/api\/v1\/cart\/m"/);
  });

  it('when the public port is asked for /metrics, then it is an unknown path there', async () => {
    const response = await server.request('GET', '/metrics');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('when the metrics port is asked for anything else, then 404, or 405 with Allow for another method', async () => {
    expect((await fetch(`${scrapes.url}/api/v1/cart/m`)).status).toBe(404);
    const post = await fetch(`${scrapes.url}/metrics`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('when read replicas report, then their reads by outcome, errors, lag and state are series by replica', async () => {
    const metrics = new Metrics();
    const replicas = metrics.replicaObserver();
    replicas.state('1', false);
    replicas.state('1', true);
    replicas.read('replica');
    replicas.read('replica');
    replicas.read('fallback_error');
    replicas.error('2');
    replicas.lag('1', { seconds: 0.25, bytes: 8192 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('carthub_db_replica_reads_total{outcome="replica"} 2');
    expect(text).toContain('carthub_db_replica_reads_total{outcome="fallback_error"} 1');
    expect(text).toContain('carthub_db_replica_errors_total{replica="2"} 1');
    expect(text).toContain('carthub_db_replica_lag_seconds{replica="1"} 0.25');
    expect(text).toContain('carthub_db_replica_lag_bytes{replica="1"} 8192');
    expect(text).toContain('carthub_db_replica_up{replica="1"} 1');
  });

  it('when the outbox cannot be read, then the scrape still answers, with the last age read', async () => {
    let reads = 0;
    const metrics = new Metrics(undefined, async () => {
      if (reads++ > 0) throw new Error('database gone');
      return 42.5;
    });
    expect(await metrics.registry.metrics()).toContain('carthub_outbox_oldest_pending_age_seconds 42.5');
    expect(await metrics.registry.metrics()).toContain('carthub_outbox_oldest_pending_age_seconds 42.5');
    expect(await new Metrics().registry.metrics()).not.toContain('carthub_outbox_oldest_pending_age_seconds');
  });

  it('when a gauge cannot be read, then the scrape answers 500 and the error is logged', async () => {
    const broken = await listen(createMetricsApp(new Metrics(() => Promise.reject(new Error('pool gone'))), logger));
    try {
      expect((await fetch(`${broken.url}/metrics`)).status).toBe(500);
      expect(errors).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });
});
