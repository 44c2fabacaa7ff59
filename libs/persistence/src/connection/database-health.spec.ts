import { createServer, Server } from 'node:net';
import { createTestDatabase, TestDatabase } from '../../testing';
import { DatabaseProbe } from './database-health';

describe('DatabaseProbe', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  async function withProbe(url: string, check: (probe: DatabaseProbe) => Promise<void>) {
    const probe = new DatabaseProbe({ url, connectTimeoutMs: 1_000 });
    try {
      await check(probe);
    } finally {
      await probe.close();
    }
  }

  it('when the database answers, then it is up, and overlapping probes share one connection', async () => {
    await withProbe(database.url, async (probe) => {
      expect(await Promise.all(Array.from({ length: 10 }, () => probe.isUp(2_000)))).toEqual(Array(10).fill(true));
      expect(await probe.isUp(2_000)).toBe(true);
    });
  });

  it('when the server accepts connections but never answers, then the deadline says down', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      await withProbe(`postgres://postgres@127.0.0.1:${port}/none`, async (probe) => {
        expect(await probe.isUp(200)).toBe(false);
      });
    } finally {
      silent.close();
    }
  });

  it('when nothing listens, then it is down', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    await withProbe(`postgres://postgres@127.0.0.1:${port}/none`, async (probe) => {
      expect(await probe.isUp(1_000)).toBe(false);
    });
  });
});
