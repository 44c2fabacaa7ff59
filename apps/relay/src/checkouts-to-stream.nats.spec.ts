import {
  AppProcess,
  createTestDatabase,
  queryDatabase,
  startBuiltApp,
  TestDatabase,
  waitForHealth,
} from '@carthub/persistence/testing';
import { aggregateVersions, BurstTally, CheckoutBurst, startCheckoutBurst } from '../test/checkout-burst';
import { testStream, TestStream } from '../test/nats';
import { outboxCounts } from '../test/outbox';
import { eventually, metric, RelayProcess, relayFleet, roleOf } from '../test/relay-process';
import { expectStreamToHoldExactly } from '../test/stream-assertions';

const NATS_URL = process.env['NATS_URL'] as string;
const SHOPPERS = 200;
/** Shoppers from here on start only once the relay is dead: the kill lands mid-burst whatever the machine's speed. */
const HELD_FROM = 100;

/**
 * End to end: the built API writes cart and order events as real shoppers
 * check out over HTTP, the built relay publishes them to JetStream, and what
 * the stream holds is compared with what the outbox and the API say happened.
 */
describe('checkouts through the API reach the stream', () => {
  let database: TestDatabase;
  let stream: TestStream;
  let api: AppProcess;
  /** Lets the held shoppers go, so a test that failed early leaves none waiting. */
  let releaseHeld = () => undefined as void;
  const relays = relayFleet(() => ({
    DATABASE_URL: database.url,
    NATS_URL,
    RELAY_RETRY_MAX_MS: '500',
    RELAY_LOCK_INTERVAL_MS: '250',
    // Small batches: publishing takes many rounds, so a kill finds it busy.
    RELAY_BATCH_SIZE: '20',
    ...stream.env,
  }));

  beforeEach(async () => {
    database = await createTestDatabase();
    stream = testStream(NATS_URL);
    // Every order of the burst comes from this one address.
    api = await startBuiltApp(
      'api',
      { host: 'HOST', port: 'PORT' },
      { DATABASE_URL: database.url, CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE: '0' },
    );
    await waitForHealth(api.url);
  });
  afterEach(async () => {
    releaseHeld();
    await relays.killAll();
    api.child.kill('SIGTERM');
    await api.exit;
    await stream.remove();
    await database.drop();
  });

  const counts = () => outboxCounts(database.url);

  /** The burst, with the shoppers from HELD_FROM on waiting for `release()`. */
  function burst(prefix: string): CheckoutBurst & { release(): void } {
    let release!: () => void;
    const until = new Promise<void>((done) => (release = done));
    releaseHeld = release;
    const running = startCheckoutBurst(api.url, {
      prefix,
      shoppers: SHOPPERS,
      concurrency: 8,
      hold: { from: HELD_FROM, until },
    });
    return { ...running, release };
  }

  /** SIGKILL once the relay has published a good part of what the first shoppers wrote (about 380 events). */
  async function killWhenPublishing(relay: RelayProcess): Promise<void> {
    await eventually(counts, ({ published }) => published >= 100);
    relay.child.kill('SIGKILL');
    await expect(relay.exit).resolves.toMatchObject({ signal: 'SIGKILL' });
  }

  async function waitUntilAllPublished(): Promise<void> {
    await expect(eventually(counts, ({ unpublished }) => unpublished === 0, 900)).resolves.toMatchObject({
      unpublished: 0,
    });
  }

  /**
   * Every committed event is on the stream once, under its id as Nats-Msg-Id;
   * each cart's and order's events arrive as sequences 1..version, in order;
   * and the stream holds as many events as the API answered changes.
   */
  async function expectStreamToMatchWhatHappened(tally: BurstTally): Promise<void> {
    const committed = await queryDatabase<{ id: string }>(database.url, 'select id from outbox_events');
    const messages = await stream.messages();
    const lastSequences = expectStreamToHoldExactly(messages, committed, stream.env.RELAY_SUBJECT_PREFIX);
    expect(lastSequences).toEqual(await aggregateVersions(api.url, tally));
    expect(messages).toHaveLength(tally.changes);
    expect(new Set(messages.map((message) => message.envelope.type))).toEqual(
      new Set(['cart.item_added', 'cart.cleared', 'order.placed', 'order.paid']),
    );
  }

  it('when the relay is killed with SIGKILL mid-burst of 200 checkouts and started again, then every event is on the stream once, in order, none missing', async () => {
    const first = await relays.start();
    await eventually(
      () => roleOf(first),
      (role) => role === 'active',
    );
    const shoppers = burst('killed');

    await killWhenPublishing(first);
    shoppers.release();
    // Checkouts go on with no relay at all: their events wait in the outbox.
    await eventually(
      async () => shoppers.finished(),
      (finished) => finished >= HELD_FROM + 50,
      900,
    );
    expect((await counts()).unpublished).toBeGreaterThan(0);

    const second = await relays.start();
    const tally = await shoppers.done;
    await waitUntilAllPublished();
    await expectStreamToMatchWhatHappened(tally);
    await expect(metric(second.url, 'carthub_outbox_pending')).resolves.toBe(0);
    await expect(metric(second.url, 'carthub_outbox_lag_seconds')).resolves.toBe(0);
  }, 120_000);

  it('when two relays run through the burst and the active one is killed, then the standby takes over and each event is on the stream once', async () => {
    const pair = [await relays.start(), await relays.start()];
    const roles = await eventually(
      () => Promise.all(pair.map(roleOf)),
      (seen) => seen.includes('active') && seen.includes('standby'),
    );
    expect([...roles].sort()).toEqual(['active', 'standby']);
    const active = pair[roles.indexOf('active')];
    const standby = pair[roles.indexOf('standby')];
    const shoppers = burst('pair');

    await killWhenPublishing(active);
    // As if it had died between JetStream's acknowledgement and marking them: the last events it marked are
    // unmarked, so the standby publishes them again and only Nats-Msg-Id keeps them off the stream a second time.
    const unmarked = await queryDatabase(
      database.url,
      `update outbox_events set published_at = null where position in
         (select position from outbox_events where published_at is not null order by position desc limit 20)
       returning position`,
    );
    expect(unmarked).toHaveLength(20);
    shoppers.release();
    await expect(
      eventually(
        () => roleOf(standby),
        (role) => role === 'active',
      ),
    ).resolves.toBe('active');
    await expect(
      eventually(
        () => metric(standby.url, 'carthub_outbox_published_total'),
        (n) => n > 0,
      ),
    ).resolves.toBeGreaterThan(0);
    // A replacement comes up as the new standby while the burst goes on.
    const replacement = await relays.start();

    const tally = await shoppers.done;
    await waitUntilAllPublished();
    await expectStreamToMatchWhatHappened(tally);
    await expect(
      eventually(
        () => roleOf(replacement),
        (role) => role === 'standby',
      ),
    ).resolves.toBe('standby');
  }, 120_000);
});
