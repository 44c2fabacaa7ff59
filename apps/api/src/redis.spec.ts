import { createTestDatabase, findFreePort, TestDatabase } from '@carthub/persistence/testing';
import { startHungRedis, HungRedis } from '../test/hung-redis';
import { loadConfig } from './config';
import { RunningServer, startServer } from './server';

const LIMITER_WARNING = 'rate limiter store unavailable; letting requests through';

function recordingLogger() {
  const warnings: string[] = [];
  return {
    warnings,
    logger: {
      info: () => undefined,
      warn: (_: object, message?: string) => warnings.push(message ?? ''),
      error: () => undefined,
    },
  };
}

describe('REDIS_URL pointing at a Redis that is not there', () => {
  let database: TestDatabase;
  let server: RunningServer;
  const { warnings, logger } = recordingLogger();

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
    expect(warnings).toEqual(expect.arrayContaining([LIMITER_WARNING]));
  });
});

describe('REDIS_URL pointing at a Redis that accepts commands and never answers', () => {
  let database: TestDatabase;
  let redis: HungRedis;
  let server: RunningServer;
  const { warnings, logger } = recordingLogger();

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startHungRedis();
    const config = loadConfig({
      DATABASE_URL: database.url,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      RATE_LIMIT_MAX: '2',
    });
    server = await startServer(config, logger);
  });
  afterAll(async () => {
    await server.shutdown();
    await redis.close();
    await database.drop();
  });

  it('when requests arrive, then each is served once the limiter gives up on Redis, and the failure is logged', async () => {
    // Until the client is ready its commands fail at once; wait for it so they reach the hung server.
    for (let attempt = 0; attempt < 100 && redis.swallowed.length === 0; attempt++) {
      await fetch(`${server.url}/api/v1/cart/c`, { signal: AbortSignal.timeout(5_000) });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(redis.swallowed.length).toBeGreaterThan(0);

    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await fetch(`${server.url}/api/v1/cart/c`, { signal: AbortSignal.timeout(5_000) })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(redis.swallowed.length).toBeGreaterThanOrEqual(6);
    expect(warnings).toEqual(expect.arrayContaining([LIMITER_WARNING]));
  });
});
