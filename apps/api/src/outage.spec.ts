import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase } from '@carthub/persistence';
import { EmbeddedPostgresServer, startEmbeddedPostgres } from '@carthub/persistence/dev';
import { loadConfig } from './config';
import { RunningServer, startServer } from './server';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A database of its own that this test stops and starts, under a running API. */
describe('database outage', () => {
  let dataDir: string;
  let postgres: EmbeddedPostgresServer;
  let server: RunningServer;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'carthub-outage-'));
    postgres = await startEmbeddedPostgres({ dataDir, port: 0, persistent: true });
    await migrateDatabase({ url: postgres.urlFor('postgres') });
    server = await startServer(
      loadConfig({
        DATABASE_URL: postgres.urlFor('postgres'),
        PORT: '0',
        HOST: '127.0.0.1',
        HEALTH_TIMEOUT_MS: '1000',
      }),
      silent,
    );
  });

  afterAll(async () => {
    await server.shutdown();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const addPen = () =>
    fetch(`${server.url}/api/v1/cart/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: 'c', product_id: 'pen', product_name: 'Pen', price: 1, quantity: 1 }),
    });

  async function waitForHealthy(): Promise<Response> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const response = await fetch(`${server.url}/health`);
      if (response.status === 200) return response;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the service did not recover');
  }

  it('when the database stops, then health and writes answer 503; when it is back, service resumes with nothing lost', async () => {
    expect((await addPen()).status).toBe(200);

    await postgres.stop();
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unhealthy', database: 'disconnected' });
    const write = await addPen();
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('1');
    expect(await write.json()).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE' });
    expect((await fetch(`${server.url}/api/v1/cart/c`)).status).toBe(503);

    await postgres.start();
    expect(await (await waitForHealthy()).json()).toMatchObject({ database: 'connected' });
    expect((await addPen()).status).toBe(200);
    const cart = await (await fetch(`${server.url}/api/v1/cart/c`)).json();
    expect(cart).toMatchObject({ total_items: 2, version: 2 });
  });
});
