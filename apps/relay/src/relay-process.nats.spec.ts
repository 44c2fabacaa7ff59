import {
  createTestDatabase,
  insertOutboxEvents,
  testEventBurst,
  TestDatabase,
  TestEvent,
} from '@carthub/persistence/testing';
import { testStream, TestStream } from '../test/nats';
import { outboxCounts } from '../test/outbox';
import { eventually, health, relayFleet, roleOf } from '../test/relay-process';
import { expectStreamToHoldExactly } from '../test/stream-assertions';

const NATS_URL = process.env['NATS_URL'] as string;

describe('the relay process', () => {
  let database: TestDatabase;
  let stream: TestStream;
  const relays = relayFleet(() => ({ DATABASE_URL: database.url, NATS_URL, RELAY_RETRY_MAX_MS: '500', ...stream.env }));
  const start = relays.start;

  beforeEach(async () => {
    database = await createTestDatabase();
    stream = testStream(NATS_URL);
  });
  afterEach(async () => {
    await relays.killAll();
    await stream.remove();
    await database.drop();
  });

  const counts = () => outboxCounts(database.url);

  it('when killed with SIGKILL in the middle of a burst of 3,000 events and started again, then the stream holds every event exactly once, in order', async () => {
    const burst = testEventBurst('cart', 100, 30);
    const first = await start({ RELAY_BATCH_SIZE: '50' });
    // The burst arrives in slices while the relay publishes, so the kill lands mid-burst.
    for (let start = 0; start < 1_500; start += 100) {
      await insertOutboxEvents(database.url, burst.slice(start, start + 100));
    }
    await eventually(counts, ({ published }) => published > 0);
    first.child.kill('SIGKILL');
    await expect(first.exit).resolves.toMatchObject({ signal: 'SIGKILL' });
    for (let start = 1_500; start < burst.length; start += 100) {
      await insertOutboxEvents(database.url, burst.slice(start, start + 100));
    }
    expect((await counts()).unpublished).toBeGreaterThan(0);

    await start({ RELAY_BATCH_SIZE: '50' });
    await expect(eventually(counts, ({ unpublished }) => unpublished === 0, 600)).resolves.toEqual({
      published: 3_000,
      unpublished: 0,
    });
    expectStreamToHoldExactly(await stream.messages(), burst, stream.env.RELAY_SUBJECT_PREFIX);
  });

  it('when two relays run, then one is active and one standby, each event is published once, and the standby takes over when the active one is killed', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const roles = await eventually(
      () => Promise.all([health(a.url), health(b.url)]),
      (answers) => answers.every((answer) => answer.status === 200),
    );
    expect(roles.map((answer) => answer.body.role).sort()).toEqual(['active', 'standby']);

    const events: TestEvent[] = testEventBurst('early', 50, 20);
    await insertOutboxEvents(database.url, events);
    await expect(eventually(counts, ({ unpublished }) => unpublished === 0)).resolves.toMatchObject({
      published: 1_000,
    });

    const [active, standby] = (await roleOf(a)) === 'active' ? [a, b] : [b, a];
    active.child.kill('SIGKILL');
    await active.exit;
    await expect(
      eventually(
        () => roleOf(standby),
        (role) => role === 'active',
      ),
    ).resolves.toBe('active');
    const later = testEventBurst('later', 50, 10);
    await insertOutboxEvents(database.url, later);
    await expect(eventually(counts, ({ unpublished }) => unpublished === 0)).resolves.toMatchObject({
      published: 1_500,
    });
    expectStreamToHoldExactly(await stream.messages(), [...events, ...later], stream.env.RELAY_SUBJECT_PREFIX);
  });

  it('when sent SIGTERM while active, then it exits 0 and releases the lock to the standby', async () => {
    const first = await start();
    await eventually(
      () => roleOf(first),
      (role) => role === 'active',
    );
    const second = await start();
    await eventually(
      () => health(second.url),
      (answer) => answer.status === 200,
    );
    await expect(roleOf(second)).resolves.toBe('standby');
    await insertOutboxEvents(database.url, testEventBurst('cart', 20, 20));

    first.child.kill('SIGTERM');
    await expect(first.exit).resolves.toMatchObject({ code: 0 });
    await expect(
      eventually(
        () => roleOf(second),
        (role) => role === 'active',
      ),
    ).resolves.toBe('active');
    await expect(eventually(counts, ({ unpublished }) => unpublished === 0)).resolves.toEqual({
      published: 400,
      unpublished: 0,
    });
  });

  it('when NATS_URL is missing, then it exits 2 naming it', async () => {
    const relay = await start({ NATS_URL: '' });
    await expect(relay.exit).resolves.toMatchObject({ code: 2, stderr: expect.stringContaining('NATS_URL') });
  });
});
