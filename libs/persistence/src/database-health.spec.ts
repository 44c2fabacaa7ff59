import { MikroORM } from '@mikro-orm/postgresql';
import { createServer, Server } from 'node:net';
import { createTestDatabase, TestDatabase } from '../testing';
import { databaseIsUp } from './database-health';
import { createOrmConfig } from './orm-config';

describe('databaseIsUp', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  async function withOrm(url: string, check: (orm: MikroORM) => Promise<void>) {
    const orm = await MikroORM.init(createOrmConfig({ url, connectTimeoutMs: 1_000 }));
    try {
      await check(orm);
    } finally {
      await orm.close(true);
    }
  }

  it('when the database answers, then it is up', async () => {
    await withOrm(database.url, async (orm) => expect(await databaseIsUp(orm, 2_000)).toBe(true));
  });

  it('when the server accepts connections but never answers, then the deadline says down', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      await withOrm(`postgres://postgres@127.0.0.1:${port}/none`, async (orm) => {
        expect(await databaseIsUp(orm, 200)).toBe(false);
      });
    } finally {
      silent.close();
    }
  });
});
