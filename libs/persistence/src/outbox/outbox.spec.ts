import { Pool } from 'pg';
import { createTestDatabase, insertOutboxEvents, queryDatabase, testEvent, TestDatabase } from '../../testing';
import { cleanupPublishedEvents } from '../maintenance';
import {
  markEventsPublished,
  parkEvents,
  readOldestPendingEventAge,
  readOutboxBacklog,
  readUnpublishedEvents,
} from './outbox';

describe('the outbox', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeEach(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
    // The forced drop in afterEach may still catch a closing connection: that is not this test's failure.
    pool.on('error', () => undefined);
  });
  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  const publishedIds = async () =>
    (
      await queryDatabase<{ id: string }>(
        database.url,
        'select id from outbox_events where published_at is not null order by position',
      )
    ).map((row) => row.id);

  it('when events are unpublished, then they are read in position order with their envelope text, up to the limit', async () => {
    const events = [testEvent('b', 1), testEvent('a', 1), testEvent('b', 2, { aggregateType: 'cart' })];
    await insertOutboxEvents(database.url, events);
    const read = await readUnpublishedEvents(pool, 2);
    expect(read.map((event) => [event.aggregateId, event.sequence])).toEqual([
      ['b', 1],
      ['a', 1],
    ]);
    expect(JSON.parse(read[0].payload)).toEqual(events[0].envelope);
    expect(read[0]).toMatchObject({ id: events[0].id, type: 'cart.item_added', aggregateType: 'cart' });
  });

  it('when more than nine events wait, then they come in numeric position order', async () => {
    const events = Array.from({ length: 12 }, (_, index) => testEvent('a', index + 1));
    await insertOutboxEvents(database.url, events);
    const read = await readUnpublishedEvents(pool, 12);
    expect(read.map((event) => event.sequence)).toEqual(events.map((event) => event.sequence));
  });

  it('when events are marked published, then they are no longer read and count neither as pending nor as lag', async () => {
    const old = new Date(Date.now() - 60_000);
    await insertOutboxEvents(database.url, [
      testEvent('a', 1, { occurredAt: old }),
      testEvent('a', 2, { occurredAt: new Date() }),
    ]);
    const before = await readOutboxBacklog(pool);
    expect(before.pending).toBe(2);
    expect(before.lagSeconds).toBeGreaterThanOrEqual(59);

    const [first] = await readUnpublishedEvents(pool, 1);
    await markEventsPublished(pool, [first.position]);
    await markEventsPublished(pool, []);
    expect((await readUnpublishedEvents(pool, 10)).map((event) => event.sequence)).toEqual([2]);
    const after = await readOutboxBacklog(pool);
    expect(after.pending).toBe(1);
    expect(after.lagSeconds).toBeLessThan(59);

    await markEventsPublished(
      pool,
      (await readUnpublishedEvents(pool, 10)).map((event) => event.position),
    );
    await expect(readOutboxBacklog(pool)).resolves.toEqual({ pending: 0, lagSeconds: 0, parked: 0 });
  });

  it('when an event is parked, then neither it nor the later events of its aggregate are read, and the backlog counts it apart', async () => {
    const old = new Date(Date.now() - 600_000);
    await insertOutboxEvents(database.url, [
      testEvent('a', 1),
      testEvent('b', 1, { occurredAt: old }),
      testEvent('a', 2),
      testEvent('b', 2),
      testEvent('c', 1),
    ]);
    const [a1, b1] = await readUnpublishedEvents(pool, 2);
    await markEventsPublished(pool, [a1.position]);
    await parkEvents(pool, [{ position: b1.position, reason: 'too large' }]);
    await parkEvents(pool, []);

    const read = await readUnpublishedEvents(pool, 10);
    expect(read.map((event) => `${event.aggregateId}${event.sequence}`)).toEqual(['a2', 'c1']);
    const backlog = await readOutboxBacklog(pool);
    expect(backlog).toMatchObject({ pending: 3, parked: 1 });
    expect(backlog.lagSeconds).toBeLessThan(600);
    await expect(
      queryDatabase(database.url, 'select park_reason from outbox_events where parked_at is not null'),
    ).resolves.toEqual([{ park_reason: 'too large' }]);
    // A published event cannot be parked, nor a parked one published.
    await expect(
      queryDatabase(database.url, 'update outbox_events set published_at = now() where parked_at is not null'),
    ).rejects.toThrow(/outbox_events_parked_check/);
  });

  it('when events wait, then the oldest pending age is that of the first in line, parked ones aside; none waiting, 0', async () => {
    await expect(readOldestPendingEventAge(pool)).resolves.toBe(0);
    await insertOutboxEvents(database.url, [
      testEvent('parked', 1, { occurredAt: new Date(Date.now() - 3_600_000) }),
      testEvent('a', 1, { occurredAt: new Date(Date.now() - 90_000) }),
      testEvent('a', 2),
    ]);
    const [parked, first, second] = await readUnpublishedEvents(pool, 3);
    await parkEvents(pool, [{ position: parked.position, reason: 'too large' }]);
    const age = await readOldestPendingEventAge(pool);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(3_600);
    await markEventsPublished(pool, [first.position, second.position]);
    await expect(readOldestPendingEventAge(pool)).resolves.toBe(0);
  });

  it('when cleanup runs, then published events past the retention go in batches and every other event stays', async () => {
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const expired = Array.from({ length: 25 }, (_, index) => testEvent('old', index + 1));
    const recent = [testEvent('recent', 1)];
    const unpublished = [testEvent('unpublished', 1, { occurredAt: hoursAgo(500) })];
    await insertOutboxEvents(database.url, expired, hoursAgo(169));
    await insertOutboxEvents(database.url, recent, hoursAgo(167));
    await insertOutboxEvents(database.url, unpublished);

    const settings = { url: database.url };
    // Two statements of ten rows at most this run; the next run takes the rest.
    await expect(cleanupPublishedEvents(settings, { retentionHours: 168, batchSize: 10, maxBatches: 2 })).resolves.toBe(
      20,
    );
    await expect(cleanupPublishedEvents(settings, { retentionHours: 168, batchSize: 10 })).resolves.toBe(5);
    const left = await queryDatabase<{ aggregate_id: string }>(
      database.url,
      'select aggregate_id from outbox_events order by position',
    );
    expect(left).toEqual([{ aggregate_id: 'recent' }, { aggregate_id: 'unpublished' }]);
    await expect(publishedIds()).resolves.toEqual([recent[0].id]);
    await expect(cleanupPublishedEvents(settings, { retentionHours: 1 })).resolves.toBe(1);
  });

  it('when a writer breaks the envelope rules, then the table refuses the row', async () => {
    await insertOutboxEvents(database.url, [testEvent('a', 1)]);
    await expect(insertOutboxEvents(database.url, [testEvent('a', 1)])).rejects.toThrow(/unique/);
    await expect(insertOutboxEvents(database.url, [testEvent('a', 0)])).rejects.toThrow(/sequence_check/);
    await expect(
      queryDatabase(
        database.url,
        `insert into outbox_events (id, type, aggregate_type, aggregate_id, sequence, occurred_at, envelope)
         values (gen_random_uuid(), 'x.y', 'wishlist', 'a', 1, now(), '{}')`,
      ),
    ).rejects.toThrow(/aggregate_type_check/);
  });
});
