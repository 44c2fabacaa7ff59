import { createTestDatabase, findFreePort, TestDatabase } from '@carthub/persistence/testing';
import { loadConfig } from './config';
import { RunningServer, startServer } from './server';

describe('REDIS_URL pointing at a Redis that is not there', () => {
  let database: TestDatabase;
  let server: RunningServer;
  const warnings: string[] = [];
  const logger = {
    info: () => undefined,
    warn: (_: object, message?: string) => warnings.push(message ?? ''),
    error: () => undefined,
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({
      DATABASE_URL: database.url,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: `redis://127.0.0.1:${await findFreePort()}`,
      RATE_LIMIT_MAX: '2',
    });
    server = await startServer(config, logger);
  });
  afterAll(async () => {
    await server.shutdown();
    await database.drop();
  });

  it('when requests arrive, then they are served (the limiter fails open) and the outage is logged', async () => {
    for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/api/v1/cart/c`)).status).toBe(200);
    expect(warnings).toEqual(expect.arrayContaining(['rate limiter store unavailable; letting requests through']));
  });
});
