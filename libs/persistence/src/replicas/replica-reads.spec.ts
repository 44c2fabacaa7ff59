import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { CartService, CheckoutService, DEFAULT_CART_LIMITS, InvalidCursorError } from '@carthub/domain';
import {
  findFreePort,
  queryDatabase,
  startStreamingReplication,
  StreamingReplication,
  testOutbox,
} from '../../testing';
import { PostgresCartRepository } from '../cart/cart-repository';
import { migrateDatabase } from '../connection/migrate';
import { PostgresOrderStore } from '../orders/order-store';
import { createOrmConfig } from '../connection/orm-config';
import { readReplicaUrls } from './read-replica-config';
import { ReplicaObserver, ReplicaReadOutcome, ReplicaReads } from './replica-reads';
import { Db } from '../connection/sql-plumbing';

/** What the replicas reported, as metrics would count it. */
class Recorder implements ReplicaObserver {
  readonly outcomes: ReplicaReadOutcome[] = [];
  readonly errors: string[] = [];
  readonly lags: { seconds: number; bytes: number }[] = [];
  readonly states: { up: boolean; reason?: string }[] = [];
  read(outcome: ReplicaReadOutcome) {
    this.outcomes.push(outcome);
  }
  error(replica: string) {
    this.errors.push(replica);
  }
  lag(_: string, lag: { seconds: number; bytes: number }) {
    this.lags.push(lag);
  }
  state(_: string, up: boolean, reason?: string) {
    this.states.push({ up, reason });
  }
  get up() {
    return this.states.at(-1)?.up;
  }
}

/** Which server ran a statement: the standby is in recovery, the primary is not. */
const onStandby = async (db: Db) =>
  (await sql<{ standby: boolean }>`select pg_is_in_recovery() as standby`.execute(db)).rows[0].standby;

async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe('read replicas, against a primary and a streaming standby', () => {
  let pair: StreamingReplication;
  let orm: MikroORM;
  let recorder: Recorder;
  let replicas: ReplicaReads;

  beforeAll(async () => {
    pair = await startStreamingReplication();
    await migrateDatabase({ url: pair.primaryUrl });
    orm = await MikroORM.init(createOrmConfig({ url: pair.primaryUrl, readReplicaUrls: [pair.replicaUrl] }));
    recorder = new Recorder();
    replicas = ReplicaReads.of(orm, { checkIntervalMs: 100, observer: recorder })!;
    await eventually(() => recorder.up === true, 'the replica checked and up');
  }, 120_000);

  afterAll(async () => {
    await replicas?.stop();
    await orm?.close(true);
    await pair?.stop();
  });

  afterEach(async () => {
    await pair.resumeReplay().catch(() => undefined);
    recorder.outcomes.length = 0;
  });

  it('when the ORM has no replicas, then there is nothing to route', async () => {
    const plain = await MikroORM.init(createOrmConfig({ url: pair.primaryUrl }));
    try {
      expect(ReplicaReads.of(plain, { checkIntervalMs: 100 })).toBeUndefined();
    } finally {
      await plain.close(true);
    }
  });

  it('when replicas are configured, then everything but ReplicaReads still runs on the primary', async () => {
    await expect(orm.em.getConnection().execute('select pg_is_in_recovery() as standby')).resolves.toEqual([
      { standby: false },
    ]);
    await expect(onStandby(orm.em.fork().getKysely())).resolves.toBe(false);
  });

  it('when the replica has replayed everything, then it answers the read', async () => {
    await pair.waitForReplay();
    await expect(replicas.read(onStandby, () => true)).resolves.toBe(true);
    const [connection] = await queryDatabase(
      pair.replicaUrl,
      `select 1 from pg_stat_activity where application_name = 'carthub-replica'`,
    );
    expect(connection).toBeDefined();
    expect(recorder.outcomes).toEqual(['replica']);
  });

  it('when the replica has not replayed the latest write, then the primary answers, with that write', async () => {
    await pair.pauseReplay();
    await queryDatabase(pair.primaryUrl, 'create table if not exists marks (n int)');
    await queryDatabase(pair.primaryUrl, 'insert into marks values (1)');
    const count = (db: Db) =>
      sql<{ n: number }>`select count(*)::int as n, pg_is_in_recovery() as standby from marks`.execute(db);
    const { rows } = await replicas.read(count, () => true);
    expect(rows).toEqual([{ n: 1, standby: false }]);
    expect(recorder.outcomes).toEqual(['fallback_lagging']);
  });

  it('when reads may wait for the replica, then one arriving while it is behind is answered by it once it caught up', async () => {
    const patient = ReplicaReads.of(orm, { checkIntervalMs: 100, maxWaitMs: 30_000, observer: recorder })!;
    try {
      await eventually(() => recorder.up === true, 'checked');
      await pair.pauseReplay();
      await queryDatabase(pair.primaryUrl, 'create table if not exists waits (n int)');
      await queryDatabase(pair.primaryUrl, 'insert into waits values (7)');
      const read = patient.read(
        (db) => sql<{ n: number; standby: boolean }>`select n, pg_is_in_recovery() as standby from waits`.execute(db),
        () => true,
      );
      await pair.resumeReplay();
      expect((await read).rows).toEqual([{ n: 7, standby: true }]);
      expect(recorder.outcomes).toEqual(['replica']);
    } finally {
      await patient.stop();
    }
  });

  it('when the replica has no such row, then the primary is asked', async () => {
    await pair.waitForReplay();
    await expect(replicas.read(onStandby, (standby) => !standby)).resolves.toBe(false);
    expect(recorder.outcomes).toEqual(['fallback_missing']);
  });

  it('when the replica lags, then its lag is sampled in bytes and seconds; caught up, both are 0', async () => {
    await pair.pauseReplay();
    await queryDatabase(pair.primaryUrl, `select pg_switch_wal()`);
    recorder.lags.length = 0;
    await eventually(() => recorder.lags.some((lag) => lag.bytes > 0), 'a lag sampled');
    expect(recorder.lags.find((lag) => lag.bytes > 0)?.seconds).toBeGreaterThanOrEqual(0);
    await pair.resumeReplay();
    await pair.waitForReplay();
    recorder.lags.length = 0;
    await eventually(() => recorder.lags.length > 0, 'a lag sampled');
    await eventually(() => recorder.lags.at(-1)?.bytes === 0, 'caught up');
    expect(recorder.lags.at(-1)).toEqual({ bytes: 0, seconds: 0 });
  });

  it('when orders are read through a store with replicas, then they come back whole, placed a moment ago or not', async () => {
    const carts = new CartService(new PostgresCartRepository(orm, testOutbox), DEFAULT_CART_LIMITS);
    const store = new PostgresOrderStore(orm, testOutbox, { replicas });
    const checkout = new CheckoutService(store);
    const details = {
      paymentMethod: 'paypal' as const,
      shippingAddress: { street: 's', city: 'c', state: 'st', zip: 'z', country: 'DE' },
    };
    const placed = [];
    for (const productId of ['a', 'b', 'c']) {
      await carts.addItem({ customerId: 'reader', item: { productId, productName: 'P', unitPrice: 5, quantity: 1 } });
      placed.push(await checkout.placeOrder({ customerId: 'reader', ...details }));
      await expect(checkout.getOrder(placed.at(-1)!.orderId)).resolves.toEqual(placed.at(-1));
    }
    const first = await checkout.listOrders('reader', { limit: 2 });
    expect(first.orders.map((order) => order.orderId)).toEqual([placed[2].orderId, placed[1].orderId]);
    const rest = await checkout.listOrders('reader', { limit: 2, cursor: first.nextCursor });
    expect(rest.orders.map((order) => order.orderId)).toEqual([placed[0].orderId]);
    await expect(checkout.listOrders('someone-else', { limit: 2, cursor: first.nextCursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await pair.waitForReplay();
    await expect(checkout.getOrder(placed[0].orderId)).resolves.toEqual(placed[0]);
    expect(recorder.outcomes).toContain('replica');
  });

  it('when the replica dies, then reads go to the primary, it is skipped while down, and it is used again once back', async () => {
    const errorsBefore = recorder.errors.length;
    await pair.stopReplica();
    await expect(replicas.read(onStandby, () => true)).resolves.toBe(false);
    expect(recorder.outcomes[0]).toMatch(/^fallback_(error|down)$/);
    await eventually(() => recorder.up === false, 'the replica marked down');
    expect(recorder.errors.length).toBeGreaterThan(errorsBefore);
    recorder.outcomes.length = 0;
    await expect(replicas.read(onStandby, () => true)).resolves.toBe(false);
    expect(recorder.outcomes).toEqual(['fallback_down']);

    await pair.startReplica();
    await eventually(() => recorder.up === true, 'the replica up again');
    await pair.waitForReplay();
    await expect(replicas.read(onStandby, () => true)).resolves.toBe(true);
  });

  it('when the primary does not answer, then the replica answers nothing it could not check: the read fails as any would', async () => {
    const deadPrimary = `postgres://postgres@127.0.0.1:${await findFreePort()}/postgres`;
    const orphan = await MikroORM.init(createOrmConfig({ url: deadPrimary, readReplicaUrls: [pair.replicaUrl] }));
    const seen = new Recorder();
    const reads = ReplicaReads.of(orphan, { checkIntervalMs: 100, observer: seen })!;
    try {
      await eventually(() => seen.up === true, 'the replica checked');
      await expect(reads.read(onStandby, () => true)).rejects.toThrow(/ECONNREFUSED/);
      expect(seen.outcomes).toEqual([]);
      expect(seen.lags).toEqual([]);
    } finally {
      await reads.stop();
      await orphan.close(true);
    }
  });

  it('when a "replica" is a primary, then it is never used: it would never have replayed anything', async () => {
    const wrong = await MikroORM.init(createOrmConfig({ url: pair.primaryUrl, readReplicaUrls: [pair.primaryUrl] }));
    const seen = new Recorder();
    const reads = ReplicaReads.of(wrong, { checkIntervalMs: 100, observer: seen })!;
    try {
      await eventually(() => seen.errors.length > 0, 'the check failed');
      expect(seen.states.at(-1)).toEqual({ up: false, reason: expect.stringMatching(/not a standby/) });
      await expect(reads.read(onStandby, () => true)).resolves.toBe(false);
      expect(seen.outcomes).toEqual(['fallback_down']);
    } finally {
      await reads.stop();
      await wrong.close(true);
    }
  });
});

describe('readReplicaUrls', () => {
  const primary = 'postgres://app:s%40cret@db.internal:5432/carthub?sslmode=verify-full&sslrootcert=%2Fca.pem';

  it('when a replica URL leaves out user, database and TLS, then it takes the primary’s', () => {
    expect(readReplicaUrls(primary, ['postgres://replica-1.internal:5432'], {})).toEqual([
      'postgres://app:s%40cret@replica-1.internal:5432/carthub?sslmode=verify-full&sslrootcert=%2Fca.pem',
    ]);
  });

  it('when a replica URL names its own, then they are kept; DB_SSL_MODE and DB_SSL_CA apply to it as to the primary', () => {
    expect(readReplicaUrls(primary, ['postgresql://reader:pw@r2:6432/copy?sslmode=require'], {})).toEqual([
      'postgresql://reader:pw@r2:6432/copy?sslmode=require',
    ]);
    expect(
      readReplicaUrls('postgres://app@db/carthub', ['postgres://r3/carthub'], {
        mode: 'verify-ca',
        caFile: '/rds.pem',
      }),
    ).toEqual(['postgres://app@r3/carthub?sslmode=verify-ca&sslrootcert=%2Frds.pem']);
  });
});
