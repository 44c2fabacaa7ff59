import { Client } from 'pg';
import {
  createTestDatabase,
  insertOutboxEvents,
  queryDatabase,
  testEvent,
  testEventBurst,
  TestDatabase,
  TestEvent,
} from '@carthub/persistence/testing';
import { OwnNatsServer, startOwnNatsServer, testStream, TestStream } from '../test/nats';
import { inProcessRelays } from '../test/in-process-relay';
import { eventually, health, metric } from '../test/relay-process';
import { expectStreamToHoldExactly } from '../test/stream-assertions';
import { RELAY_LOCK_ID } from './leader-lock';

const NATS_URL = process.env['NATS_URL'] as string;

// Four bounded waits in a row (each polls up to ~30 s) can pass the suite's 30 s per test on a busy machine.
const LOCK_HANDOVER_TIMEOUT_MS = 120_000;

describe('the relay publishing to NATS JetStream', () => {
  let database: TestDatabase;
  let stream: TestStream;
  const relays = inProcessRelays(() => ({ DATABASE_URL: database.url, NATS_URL, ...stream.env }));
  const start = relays.start;

  beforeEach(async () => {
    database = await createTestDatabase();
    stream = testStream(NATS_URL);
  });
  afterEach(async () => {
    await relays.stopAll();
    await stream.remove();
    await database.drop();
  });

  const unpublished = async () =>
    (
      await queryDatabase<{ n: number }>(
        database.url,
        'select count(*)::int as n from outbox_events where published_at is null',
      )
    )[0].n;
  const publishedIds = async () =>
    (
      await queryDatabase<{ id: string }>(database.url, 'select id from outbox_events where published_at is not null')
    ).map((row) => row.id);

  it('when events of many aggregates wait and more arrive while it runs, then each is on the stream once, in order per aggregate, marked only once stored', async () => {
    const first = testEventBurst('cart', 20, 10);
    await insertOutboxEvents(database.url, first);
    const relay = await start({ RELAY_BATCH_SIZE: '50' });
    const more: TestEvent[] = [];
    for (let sequence = 11; sequence <= 20; sequence++) {
      for (let aggregate = 1; aggregate <= 20; aggregate++) more.push(testEvent(`cart-${aggregate}`, sequence));
    }
    await insertOutboxEvents(database.url, more);

    // Whatever the database says is published, the stream already holds.
    for (let sample = 0; sample < 50 && (await unpublished()) > 0; sample++) {
      const marked = await publishedIds();
      const stored = new Set((await stream.messages()).map((message) => message.envelope.id));
      expect(marked.filter((id) => !stored.has(id))).toEqual([]);
    }
    await expect(eventually(unpublished, (count) => count === 0)).resolves.toBe(0);

    expectStreamToHoldExactly(await stream.messages(), [...first, ...more], stream.env.RELAY_SUBJECT_PREFIX);
    await expect(health(relay.url)).resolves.toEqual({
      status: 200,
      body: { status: 'ok', role: 'active', database: true, nats: true },
    });
    await expect(metric(relay.url, 'carthub_outbox_published_total')).resolves.toBe(400);
    await expect(metric(relay.url, 'carthub_outbox_pending')).resolves.toBe(0);
    await expect(metric(relay.url, 'carthub_outbox_lag_seconds')).resolves.toBe(0);
  });

  it('when a writer notifies carthub_outbox, then an idle relay publishes before its next poll', async () => {
    const relay = await start({ RELAY_POLL_MS: '60000' });
    await eventually(
      () => health(relay.url),
      (answer) => answer.body.role === 'active',
    );
    await new Promise((done) => setTimeout(done, 300));
    const events = [testEvent('order-1', 1, { aggregateType: 'order', type: 'order.placed' })];
    await insertOutboxEvents(database.url, events);
    await queryDatabase(database.url, 'notify carthub_outbox');
    await expect(eventually(unpublished, (count) => count === 0)).resolves.toBe(0);
    expectStreamToHoldExactly(await stream.messages(), events, stream.env.RELAY_SUBJECT_PREFIX);
  });

  it('when the stream exists without the relay subjects, then they are added and its other subjects kept', async () => {
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const { connect } = await import('@nats-io/transport-node');
    const connection = await connect({ servers: NATS_URL });
    try {
      const manager = await jetstreamManager(connection);
      const other = `${stream.env.RELAY_SUBJECT_PREFIX}_other.>`;
      await manager.streams.add({ name: stream.env.RELAY_STREAM, subjects: [other] });
      await insertOutboxEvents(database.url, [testEvent('a', 1)]);
      await start();
      await expect(eventually(unpublished, (count) => count === 0)).resolves.toBe(0);
      const { config } = await manager.streams.info(stream.env.RELAY_STREAM);
      expect(config.subjects).toEqual([other, `${stream.env.RELAY_SUBJECT_PREFIX}.>`]);
    } finally {
      await connection.close();
    }
  });

  describe('with a NATS server of its own', () => {
    let nats: OwnNatsServer;
    beforeEach(async () => {
      nats = await startOwnNatsServer();
      stream = testStream(nats.url);
    });
    afterEach(async () => {
      await relays.stopAll();
      await nats.destroy();
      // Its stream went with its store; the outer clean-up then finds nothing to delete.
      stream = testStream(NATS_URL);
    });

    it('when NATS goes down, then nothing more is marked, /health says so, and once it is back everything is published once', async () => {
      const relay = await start({ NATS_URL: nats.url, RELAY_PUBLISH_TIMEOUT_MS: '1000' });
      const before = testEventBurst('before', 5, 10);
      await insertOutboxEvents(database.url, before);
      await expect(eventually(unpublished, (count) => count === 0)).resolves.toBe(0);

      await nats.stop();
      await expect(
        eventually(
          () => health(relay.url),
          (answer) => answer.status === 503,
        ),
      ).resolves.toMatchObject({ status: 503, body: { nats: false } });
      const during = [];
      for (let sequence = 11; sequence <= 20; sequence++) during.push(testEvent('before-1', sequence));
      await insertOutboxEvents(database.url, during);
      // Several failed rounds (publish timeouts, retries) go by: none of these is marked, as none was acknowledged.
      await new Promise((done) => setTimeout(done, 2_500));
      await expect(unpublished()).resolves.toBe(10);

      await nats.start();
      await expect(eventually(unpublished, (count) => count === 0)).resolves.toBe(0);
      expectStreamToHoldExactly(await stream.messages(), [...before, ...during], stream.env.RELAY_SUBJECT_PREFIX);
      // An outage is retried, never mistaken for a refusal of the events themselves.
      await expect(metric(relay.url, 'carthub_outbox_failed_rounds_total')).resolves.toBeGreaterThan(0);
      await expect(metric(relay.url, 'carthub_outbox_parked_total')).resolves.toBe(0);
      await expect(
        eventually(
          () => health(relay.url),
          (answer) => answer.status === 200,
        ),
      ).resolves.toMatchObject({
        body: { role: 'active', nats: true },
      });
    });
  });

  it(
    'when the lock connection drops and another session takes the lock, then the relay stops publishing until it gets the lock back',
    async () => {
      const relay = await start();
      await eventually(
        () => health(relay.url),
        (answer) => answer.body.role === 'active',
      );
      const rival = new Client({ connectionString: database.url });
      await rival.connect();
      try {
        const [holder] = await queryDatabase<{ pid: number }>(
          database.url,
          `select pid from pg_locks where locktype = 'advisory' and objid = $1 and database = (select oid from pg_database where datname = current_database())`,
          [RELAY_LOCK_ID],
        );
        await queryDatabase(database.url, 'select pg_terminate_backend($1)', [holder.pid]);
        await eventually(
          async () => (await rival.query('select pg_try_advisory_lock($1) as locked', [RELAY_LOCK_ID])).rows[0].locked,
          (locked) => locked === true,
        );
        await expect(
          eventually(
            () => health(relay.url),
            (answer) => answer.status === 200 && answer.body.role === 'standby',
          ),
        ).resolves.toMatchObject({
          status: 200,
          body: { role: 'standby' },
        });
        await insertOutboxEvents(database.url, [testEvent('a', 1), testEvent('a', 2)]);
        await new Promise((done) => setTimeout(done, 1_500));
        await expect(unpublished()).resolves.toBe(2);

        await rival.query('select pg_advisory_unlock($1)', [RELAY_LOCK_ID]);
        await expect(eventually(unpublished, (count) => count === 0)).resolves.toBe(0);
        await expect(health(relay.url)).resolves.toMatchObject({ body: { role: 'active' } });
      } finally {
        await rival.end();
      }
    },
    LOCK_HANDOVER_TIMEOUT_MS,
  );
});
