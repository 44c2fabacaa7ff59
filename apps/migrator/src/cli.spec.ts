import { createEmptyDatabase, queryDatabase, TestDatabase } from '@carthub/persistence/testing';
import { findFreePort } from '@carthub/persistence';
import { EXIT, runMigrator } from './cli';

describe('migrator', () => {
  let empty: TestDatabase;
  let emptyUrl: string;

  beforeAll(async () => {
    empty = await createEmptyDatabase();
    emptyUrl = empty.url;
  });
  afterAll(() => empty.drop());

  async function run(args: string[], env: NodeJS.ProcessEnv) {
    const lines: string[] = [];
    const code = await runMigrator(args, env, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
  }

  it('when pointed at an empty database, then it applies every migration, says so and exits 0; again, nothing to do', async () => {
    const first = await run([], { DATABASE_URL: emptyUrl });
    expect(first).toEqual({
      code: EXIT.ok,
      output: expect.stringMatching(
        /applied Migration20261124000000_initial\napplied Migration20261124091814_orders\napplied 2 migration/,
      ),
    });
    await expect(queryDatabase(emptyUrl, 'select count(*)::int as n from carts')).resolves.toEqual([{ n: 0 }]);
    const second = await run(['up'], { DATABASE_URL: emptyUrl });
    expect(second).toEqual({ code: EXIT.ok, output: expect.stringContaining('nothing to do') });
  });

  it('when cleanup runs, then expired idempotency keys are deleted and counted', async () => {
    await queryDatabase(
      emptyUrl,
      `insert into idempotency_keys (customer_id, key, fingerprint, state, expires_at)
       values ('c', 'old', 'f', 'completed', now() - interval '1 hour'), ('c', 'new', 'f', 'completed', now() + interval '1 hour')`,
    );
    await expect(run(['cleanup'], { DATABASE_URL: emptyUrl })).resolves.toEqual({
      code: EXIT.ok,
      output: 'deleted 1 expired idempotency key(s)',
    });
  });

  it('when the database cannot be reached, then it exits 1 with a clear message', async () => {
    const closed = await findFreePort();
    const result = await run([], { DB_HOST: '127.0.0.1', DB_PORT: String(closed), DB_CONNECT_TIMEOUT_MS: '500' });
    expect(result.code).toBe(EXIT.failed);
    expect(result.output).toMatch(/^up failed: .*ECONNREFUSED/m);
  });

  it.each([
    [['sideways'], {}, /usage: migrator/],
    [[], {}, /No database configured/],
    [[], { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a valid uri/],
  ])('when called with %p and %p, then it exits 2 explaining why', async (args, env, message) => {
    const result = await run(args, env);
    expect(result.code).toBe(EXIT.usage);
    expect(result.output).toMatch(message);
  });
});
