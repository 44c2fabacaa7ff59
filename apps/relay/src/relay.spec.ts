import pino from 'pino';
import { findFreePort } from '@carthub/persistence/testing';
import { createTestDatabase, insertOutboxEvents, testEvent, TestDatabase } from '@carthub/persistence/testing';
import { eventually, health, metric } from '../test/relay-process';
import { ConfigError, loadConfig } from './config';
import { RunningRelay, startRelay } from './relay';

const logger = pino({ level: 'silent' });

describe('the relay without a broker', () => {
  let database: TestDatabase;
  let relay: RunningRelay | undefined;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    await database.drop();
  });

  async function start() {
    const closedPort = await findFreePort();
    relay = await startRelay(
      loadConfig({
        DATABASE_URL: database.url,
        NATS_URL: `nats://127.0.0.1:${closedPort}`,
        RELAY_HOST: '127.0.0.1',
        RELAY_PORT: '0',
        RELAY_RETRY_MAX_MS: '200',
      }),
      logger,
    );
    return relay;
  }

  it('when NATS cannot be reached, then /health answers 503 and the relay keeps retrying instead of exiting', async () => {
    const { url } = await start();
    const answer = await health(url);
    expect(answer).toEqual({ status: 503, body: expect.objectContaining({ nats: false }) });
    await new Promise((done) => setTimeout(done, 500));
    await expect(health(url)).resolves.toMatchObject({ status: 503, body: { role: 'starting' } });
  });

  it('when events wait unpublished, then /metrics reports how many and how old the oldest is, with process metrics', async () => {
    const { url } = await start();
    await expect(metric(url, 'carthub_outbox_pending')).resolves.toBe(0);
    await expect(metric(url, 'carthub_outbox_lag_seconds')).resolves.toBe(0);
    await insertOutboxEvents(database.url, [
      testEvent('a', 1, { occurredAt: new Date(Date.now() - 90_000) }),
      testEvent('a', 2),
      testEvent('b', 1),
    ]);
    await expect(metric(url, 'carthub_outbox_pending')).resolves.toBe(3);
    await expect(metric(url, 'carthub_outbox_lag_seconds')).resolves.toBeGreaterThanOrEqual(90);
    await expect(metric(url, 'carthub_outbox_published_total')).resolves.toBe(0);
    await expect(metric(url, 'process_resident_memory_bytes')).resolves.toBeGreaterThan(0);
  });

  it('when the database goes away, then /metrics still answers with the last backlog it read', async () => {
    const { url } = await start();
    await insertOutboxEvents(database.url, [testEvent('a', 1)]);
    await expect(metric(url, 'carthub_outbox_pending')).resolves.toBe(1);
    await database.drop();
    await expect(metric(url, 'carthub_outbox_pending')).resolves.toBe(1);
    database = await createTestDatabase();
  });

  it('when something else than /health or /metrics is asked, then 404; another method, 405', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/health`, { method: 'POST' })).status).toBe(405);
  });

  it('when stopped, then its status port closes', async () => {
    const running = await start();
    relay = undefined;
    await running.stop();
    await expect(
      eventually(
        () => health(running.url),
        (answer) => answer.status === 0,
        1,
      ),
    ).resolves.toEqual({
      status: 0,
      body: {},
    });
  });

  it('when no database is configured, then start-up fails with a configuration error', async () => {
    await expect(startRelay(loadConfig({ NATS_URL: 'nats://127.0.0.1:4222' }), logger)).rejects.toThrow(ConfigError);
  });
});
