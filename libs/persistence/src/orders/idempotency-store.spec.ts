import { MikroORM } from '@mikro-orm/postgresql';
import { ServiceUnavailableError } from '@carthub/domain';
import { createTestDatabase, findFreePort, queryDatabase, TestDatabase } from '../../testing';
import { deleteExpiredIdempotencyKeys, PostgresIdempotencyStore } from './idempotency-store';
import { createOrmConfig } from '../connection/orm-config';

describe('PostgresIdempotencyStore', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let keys: PostgresIdempotencyStore;
  const request = { key: 'k', fingerprint: 'a'.repeat(64) };
  const age = (key: string, column: 'locked_at' | 'expires_at', interval: string) =>
    queryDatabase(database.url, `update idempotency_keys set ${column} = now() - $2::interval where key = $1`, [
      key,
      interval,
    ]);

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(createOrmConfig({ url: database.url }));
    keys = new PostgresIdempotencyStore(orm);
  });
  afterAll(async () => {
    await orm.close(true);
    await database.drop();
  });

  it('when a key is new, then it is claimed; claimed again it is in progress; released, it can be claimed anew', async () => {
    await expect(keys.claim('c1', request)).resolves.toEqual({ outcome: 'claimed' });
    await expect(keys.claim('c1', request)).resolves.toEqual({ outcome: 'in-progress' });
    await expect(keys.claim('c1', { ...request, fingerprint: 'b'.repeat(64) })).resolves.toEqual({
      outcome: 'different-request',
    });
    await keys.release('c1', request);
    await expect(keys.claim('c1', request)).resolves.toEqual({ outcome: 'claimed' });
  });

  it('when an in-flight claim was abandoned by a request that died, then the same request takes it over', async () => {
    await keys.claim('c2', request);
    await age('k', 'locked_at', '2 minutes');
    await expect(keys.claim('c2', request)).resolves.toEqual({ outcome: 'claimed' });
  });

  it('when a key has expired, then it is free again, and the cleanup deletes expired keys only', async () => {
    await keys.claim('c3', { ...request, key: 'old' });
    await keys.claim('c3', { ...request, key: 'fresh' });
    await age('old', 'expires_at', '1 second');
    await expect(keys.claim('c3', { key: 'old', fingerprint: 'c'.repeat(64) })).resolves.toEqual({
      outcome: 'claimed',
    });
    await age('old', 'expires_at', '1 second');
    await expect(deleteExpiredIdempotencyKeys(orm)).resolves.toBe(1);
    const left = await queryDatabase<{ key: string }>(
      database.url,
      `select key from idempotency_keys where customer_id = 'c3'`,
    );
    expect(left).toEqual([{ key: 'fresh' }]);
  });

  it('when the database cannot be reached, then claims and releases fail as unavailable', async () => {
    const offline = await MikroORM.init(
      createOrmConfig({ url: `postgres://postgres@127.0.0.1:${await findFreePort()}/none` }),
    );
    const store = new PostgresIdempotencyStore(offline);
    try {
      await expect(store.claim('c', request)).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(store.release('c', request)).rejects.toBeInstanceOf(ServiceUnavailableError);
    } finally {
      await offline.close(true);
    }
  });
});
