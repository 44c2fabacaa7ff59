import { createTestDatabase, TestDatabase } from '@carthub/persistence/testing';
import { loadConfig } from './config';
import { RunningServer, startServer } from './server';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('startServer', () => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer(loadConfig({ DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1' }), silent);
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
});
