import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { startTestServer, TestServer } from '../../test/test-server';
import { findFreePort } from '@carthub/persistence/testing';

// Runs only where REDIS_URL names a real Redis (the project's Jest config leaves it out otherwise; CI sets it).
const REDIS_URL = process.env['REDIS_URL']!;
const client = (url: string) =>
  new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false });

describe('rate limits shared through Redis', () => {
  const redisClients: Redis[] = [];
  const servers: TestServer[] = [];

  async function replica(url: string): Promise<TestServer> {
    const redis = client(url);
    redis.on('error', () => undefined);
    redisClients.push(redis);
    const server = await startTestServer({
      settings: {
        rateLimit: { max: 3, windowMs: 60_000, redis },
        addressQuotas: { guestSessions: { max: 2, windowMs: 3_600_000 }, redis },
        trustProxy: true,
      },
    });
    servers.push(server);
    return server;
  }

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    redisClients.forEach((redis) => redis.disconnect());
  });

  it('when one client spreads its requests over two replicas, then they share one budget', async () => {
    const [a, b] = [await replica(REDIS_URL), await replica(REDIS_URL)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const ip = `198.18.${randomInt(255)}.${randomInt(255)}`;
    const statuses = [];
    for (const server of [a, b, a, b]) {
      statuses.push((await server.request('GET', '/api/v1/cart/c', { headers: { 'X-Forwarded-For': ip } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('when one client address asks two replicas for guest sessions, then they share one per-address quota', async () => {
    const [a, b] = [await replica(REDIS_URL), await replica(REDIS_URL)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const ip = `198.18.${randomInt(255)}.${randomInt(255)}`;
    const statuses = [];
    for (const server of [a, b, a]) {
      statuses.push(
        (await server.request('POST', '/api/v1/guest-sessions', { headers: { 'X-Forwarded-For': ip } })).status,
      );
    }
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('when Redis cannot be reached, then requests are served anyway and the failure is logged', async () => {
    const server = await replica(`redis://127.0.0.1:${await findFreePort()}`);
    for (let i = 0; i < 5; i++) {
      expect((await server.request('GET', '/api/v1/cart/c')).status).toBe(200);
    }
    expect(server.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'rate limiter store unavailable; letting requests through' }),
    );
  });
});
