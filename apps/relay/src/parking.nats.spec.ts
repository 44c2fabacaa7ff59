import {
  createTestDatabase,
  insertOutboxEvents,
  queryDatabase,
  testEvent,
  testEventBurst,
  TestDatabase,
} from '@carthub/persistence/testing';
import { testStream, TestStream } from '../test/nats';
import { inProcessRelays } from '../test/in-process-relay';
import { eventually, health, metric } from '../test/relay-process';
import { expectStreamToHoldExactly } from '../test/stream-assertions';

const NATS_URL = process.env['NATS_URL'] as string;

/** An order event whose envelope holds about `bytes` of data. */
const orderEvent = (orderId: string, sequence: number, bytes = 0) =>
  testEvent(orderId, sequence, {
    aggregateType: 'order',
    type: sequence === 1 ? 'order.placed' : 'order.paid',
    data: { order: { order_id: orderId, note: 'x'.repeat(bytes) } },
  });

describe('the relay when the broker refuses an event for good', () => {
  let database: TestDatabase;
  let stream: TestStream;
  const relays = inProcessRelays(() => ({ DATABASE_URL: database.url, NATS_URL, ...stream.env }));

  beforeEach(async () => {
    database = await createTestDatabase();
    stream = testStream(NATS_URL);
  });
  afterEach(async () => {
    await relays.stopAll();
    await stream.remove();
    await database.drop();
  });

  const waiting = async (ids: readonly string[]) =>
    (
      await queryDatabase<{ n: number }>(
        database.url,
        'select count(*)::int as n from outbox_events where published_at is null and id = any($1::uuid[])',
        [ids],
      )
    )[0].n;
  const parkedRows = () =>
    queryDatabase<{ id: string; park_reason: string }>(
      database.url,
      'select id, park_reason from outbox_events where parked_at is not null order by position',
    );
  const rowOf = async (id: string) =>
    (
      await queryDatabase<{ published: boolean; parked: boolean }>(
        database.url,
        'select published_at is not null as published, parked_at is not null as parked from outbox_events where id = $1',
        [id],
      )
    )[0];

  it('when an event is larger than the server takes (max_payload), then it is parked and counted, every other aggregate flows, its own later events wait behind it, and no round fails', async () => {
    // Batches of 10 behind a poisoned head: retried as a failure, 300 events would take minutes of backoff.
    const big = orderEvent('order-big', 1, 1_100_000);
    const behindBig = orderEvent('order-big', 2);
    const others = testEventBurst('cart', 50, 6);
    await insertOutboxEvents(database.url, [big, behindBig, ...others]);
    const relay = await relays.start({ RELAY_BATCH_SIZE: '10', RELAY_RETRY_MAX_MS: '30000' });

    const ids = others.map((event) => event.id);
    await expect(
      eventually(
        () => waiting(ids),
        (count) => count === 0,
      ),
    ).resolves.toBe(0);
    await expect(eventually(parkedRows, (rows) => rows.length > 0)).resolves.toEqual([
      { id: big.id, park_reason: expect.stringMatching(/max_payload/) },
    ]);
    expectStreamToHoldExactly(await stream.messages(), others, stream.env.RELAY_SUBJECT_PREFIX);
    // Its order's next event did not overtake it: held back, neither published nor parked.
    await expect(rowOf(behindBig.id)).resolves.toEqual({ published: false, parked: false });

    await expect(metric(relay.url, 'carthub_outbox_parked_total')).resolves.toBe(1);
    await expect(metric(relay.url, 'carthub_outbox_parked')).resolves.toBe(1);
    await expect(metric(relay.url, 'carthub_outbox_pending')).resolves.toBe(1);
    await expect(metric(relay.url, 'carthub_outbox_published_total')).resolves.toBe(others.length);
    await expect(metric(relay.url, 'carthub_outbox_failed_rounds_total')).resolves.toBe(0);
    await expect(health(relay.url)).resolves.toMatchObject({ status: 200, body: { role: 'active' } });
  }, 60_000);

  it('when the stream refuses an event (max_msg_size), then it is parked; once the limit is raised and it is re-driven, it and the events held behind it go out in order', async () => {
    await stream.limitMessageSize(4_096);
    const big = orderEvent('order-a', 1, 8_000);
    const behindBig = [orderEvent('order-a', 2), orderEvent('order-a', 3)];
    const others = [orderEvent('order-b', 1), orderEvent('order-b', 2), testEvent('cart-c', 1)];
    await insertOutboxEvents(database.url, [big, ...behindBig, ...others]);
    const relay = await relays.start();

    await expect(eventually(parkedRows, (rows) => rows.length > 0)).resolves.toEqual([
      { id: big.id, park_reason: expect.stringMatching(/message size exceeds maximum/) },
    ]);
    const otherIds = others.map((event) => event.id);
    await expect(
      eventually(
        () => waiting(otherIds),
        (count) => count === 0,
      ),
    ).resolves.toBe(0);
    await expect(waiting(behindBig.map((event) => event.id))).resolves.toBe(2);

    // The operator's re-drive (docs/DEPLOY.md): lift the limit, then clear the event's parking.
    await stream.limitMessageSize(-1);
    await queryDatabase(database.url, 'update outbox_events set parked_at = null, park_reason = null where id = $1', [
      big.id,
    ]);
    const all = [big, ...behindBig, ...others];
    await expect(
      eventually(
        () => waiting(all.map((event) => event.id)),
        (count) => count === 0,
      ),
    ).resolves.toBe(0);
    expectStreamToHoldExactly(await stream.messages(), all, stream.env.RELAY_SUBJECT_PREFIX);
    await expect(metric(relay.url, 'carthub_outbox_parked')).resolves.toBe(0);
    await expect(metric(relay.url, 'carthub_outbox_parked_total')).resolves.toBe(1);
    await expect(metric(relay.url, 'carthub_outbox_failed_rounds_total')).resolves.toBe(0);
  });
});
