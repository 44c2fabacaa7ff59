import { Client } from 'pg';
import { queryDatabase } from '@carthub/persistence/testing';
import { startTestServer, TestServer } from '../../test/test-server';

const POOL = 2;

describe('health while every pooled connection is busy', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ poolMax: POOL });
  });
  afterAll(() => server.close());

  // One customer per request: changes of one cart queue up in the process, so only different carts can each hold a connection.
  const customers = Array.from({ length: POOL + 2 }, (_, i) => `busy-${i}`);
  const add = (customerId: string) =>
    server.request('POST', '/api/v1/cart/items', {
      body: { customer_id: customerId, product_id: 'pen', product_name: 'Pen', price: 1, quantity: 1 },
    });

  async function waitForBlockedRequests(count: number): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const [{ n }] = await queryDatabase<{ n: number }>(
        server.database.url,
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if (n >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`fewer than ${count} requests ever waited on the lock`);
  }

  it('when the pool is saturated by requests waiting on a lock, then /health and /health/ready still answer 200 connected', async () => {
    for (const customerId of customers) expect((await add(customerId)).status).toBe(200);
    const holder = new Client({ connectionString: server.database.url });
    await holder.connect();
    let writes: Promise<{ status: number }[]> | undefined;
    try {
      await holder.query('begin');
      await holder.query(`select 1 from carts where customer_id like 'busy-%' for update`);
      writes = Promise.all(customers.map(add));
      await waitForBlockedRequests(POOL);

      for (const path of ['/health', '/health/ready']) {
        const response = await server.request('GET', path);
        expect({ path, status: response.status }).toEqual({ path, status: 200 });
        expect(response.body).toMatchObject({ status: 'healthy', database: 'connected' });
      }
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    expect((await writes).map((response) => response.status)).toEqual(Array(POOL + 2).fill(200));
  });
});
