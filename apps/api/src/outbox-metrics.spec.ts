import {
  createTestDatabase,
  insertOutboxEvents,
  queryDatabase,
  testEvent,
  TestDatabase,
} from '@carthub/persistence/testing';
import { scrapeMetric } from '../test/scrape';
import { RunningServer } from './server';
import { startLocalServer } from '../test/local-server';

const AGE = 'carthub_outbox_oldest_pending_age_seconds';

/** The outbox backlog as the API's own /metrics shows it: visible even when no relay runs to report it. */
describe("the outbox on the API's /metrics", () => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startLocalServer(database.url, { METRICS_PORT: '0' });
  });
  afterAll(async () => {
    await server.shutdown();
    await database.drop();
  });

  const age = () => scrapeMetric(server.metricsUrl as string, AGE);

  it('when events wait unpublished, then the age of the first in line is shown; once none waits (parked events aside), 0', async () => {
    await expect(age()).resolves.toBe(0);

    await insertOutboxEvents(database.url, [testEvent('waiting', 1, { occurredAt: new Date(Date.now() - 90_000) })]);
    const added = await fetch(`${server.url}/api/v1/cart/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: 'c', product_id: 'p', product_name: 'P', price: 1, quantity: 1 }),
    });
    expect(added.status).toBe(200);
    await expect(age()).resolves.toBeGreaterThanOrEqual(90);

    await queryDatabase(database.url, `update outbox_events set published_at = now() where aggregate_id = 'waiting'`);
    await expect(age()).resolves.toBeLessThan(90);

    await insertOutboxEvents(database.url, [testEvent('parked', 1, { occurredAt: new Date(Date.now() - 3_600_000) })]);
    await queryDatabase(
      database.url,
      `update outbox_events set parked_at = now(), park_reason = 'refused' where aggregate_id = 'parked'`,
    );
    await queryDatabase(database.url, 'update outbox_events set published_at = now() where parked_at is null');
    await expect(age()).resolves.toBe(0);
  });
});
