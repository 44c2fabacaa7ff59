import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEmptyDatabase,
  findFreePort,
  insertOutboxEvents,
  MIGRATION_NAMES,
  queryDatabase,
  testEvent,
  TestDatabase,
} from '@carthub/persistence/testing';
import { EXIT, runMigrator } from './cli';

const ALL = MIGRATION_NAMES;

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const code = await runMigrator(args, env, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('migrator', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    database = await createEmptyDatabase();
    env = { DATABASE_URL: database.url };
  });
  afterEach(() => database.drop());

  it('when up runs on an empty database, then it applies each migration with its duration and exits 0; again, nothing to do', async () => {
    const first = await run([], env);
    expect(first.code).toBe(EXIT.ok);
    expect(first.output).toMatch(
      /^applied Migration20261124000000_initial \(\d+ ms\)\napplied Migration20261124091814_orders \(\d+ ms\)\napplied Migration20261201090000_checks \(\d+ ms\)\napplied Migration20261201110000_idempotency_order \(\d+ ms\)\napplied Migration20261201120000_outbox \(\d+ ms\)\napplied Migration20261201130000_order_lifecycle \(\d+ ms\)\napplied Migration20261201140000_order_money \(\d+ ms\)\napplied Migration20261215000000_outbox_parking \(\d+ ms\)\napplied 8 migration\(s\) in \d+ ms$/,
    );
    await expect(queryDatabase(database.url, 'select count(*)::int as n from carts')).resolves.toEqual([{ n: 0 }]);
    await expect(run(['up'], env)).resolves.toEqual({
      code: EXIT.ok,
      output: expect.stringContaining('nothing to do'),
    });
  });

  it('when two migrators start at once, then each migration is applied exactly once and both succeed', async () => {
    const [a, b] = await Promise.all([run(['up'], env), run(['up'], env)]);
    expect([a.code, b.code]).toEqual([EXIT.ok, EXIT.ok]);
    const applied = `${a.output}\n${b.output}`.match(/^applied Migration\S+/gm);
    expect(applied?.sort()).toEqual(ALL.map((name) => `applied ${name}`));
    const rows = await queryDatabase(database.url, 'select name from mikro_orm_migrations order by id');
    expect(rows).toEqual(ALL.map((name) => ({ name })));
  });

  it('when migrations are pending, then status lists them and exits 3; once applied, it exits 0', async () => {
    const pending = await run(['status'], env);
    expect(pending).toEqual({ code: EXIT.pending, output: expect.stringContaining('0 applied, 8 pending') });
    await run(['up'], env);
    const current = await run(['status'], env);
    expect(current).toEqual({ code: EXIT.ok, output: expect.stringContaining('8 applied, 0 pending') });
    expect(current.output).toContain(`applied  ${ALL[1]}`);
  });

  it('when down runs, then it reverts the last migration, or all with --to 0', async () => {
    await run(['up'], env);
    const last = await run(['down'], env);
    expect(last.output).toMatch(
      /^reverted Migration20261215000000_outbox_parking \(\d+ ms\)\nreverted 1 migration\(s\)$/,
    );
    expect((await run(['down', '--to', '0'], env)).output).toContain('reverted 7 migration(s)');
    expect((await run(['down'], env)).output).toBe('nothing to revert');
    await expect(run(['status'], env)).resolves.toMatchObject({ code: EXIT.pending });
  });

  it('when the entities and the migrated schema agree, then check passes; when they drift, it fails and create writes the fix', async () => {
    expect((await run(['check'], env)).code).toBe(EXIT.pending);
    await run(['up'], env);
    await expect(run(['check'], env)).resolves.toEqual({
      code: EXIT.ok,
      output: 'the entities and the migrations agree',
    });

    await queryDatabase(database.url, 'drop index order_items_order_id_index');
    expect((await run(['check'], env)).code).toBe(EXIT.failed);
    const dir = await mkdtemp(join(tmpdir(), 'carthub-create-'));
    try {
      const created = await run(['create', 'restore_index', '--dir', dir], env);
      expect(created.code).toBe(EXIT.ok);
      const [file] = await readdir(dir);
      expect(file).toMatch(/^Migration\d{14}_restore_index\.ts$/);
      await expect(readFile(join(dir, file), 'utf8')).resolves.toContain('create index "order_items_order_id_index"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('when cleanup runs, then expired idempotency keys are deleted and counted', async () => {
    await run(['up'], env);
    await queryDatabase(
      database.url,
      `insert into idempotency_keys (customer_id, key, fingerprint, state, expires_at)
       values ('c', 'old', 'f', 'completed', now() - interval '1 hour'), ('c', 'new', 'f', 'completed', now() + interval '1 hour')`,
    );
    await expect(run(['cleanup'], env)).resolves.toEqual({
      code: EXIT.ok,
      output: expect.stringMatching(/^deleted 1 expired idempotency key\(s\)$/m),
    });
  });

  it('when cleanup runs, then published events past OUTBOX_RETENTION_HOURS are deleted, unpublished and recent ones kept', async () => {
    await run(['up'], env);
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const old = Array.from({ length: 3 }, (_, index) => testEvent('old', index + 1));
    const recent = testEvent('recent', 1);
    const unpublished = testEvent('unpublished', 1, { occurredAt: hoursAgo(1_000) });
    await insertOutboxEvents(database.url, old, hoursAgo(169));
    await insertOutboxEvents(database.url, [recent], hoursAgo(2));
    await insertOutboxEvents(database.url, [unpublished]);

    await expect(run(['cleanup'], env)).resolves.toEqual({
      code: EXIT.ok,
      output: expect.stringMatching(/^deleted 3 published outbox event\(s\) older than 168 hour\(s\)$/m),
    });
    await expect(run(['cleanup'], { ...env, OUTBOX_RETENTION_HOURS: '1' })).resolves.toEqual({
      code: EXIT.ok,
      output: expect.stringMatching(/^deleted 1 published outbox event\(s\) older than 1 hour\(s\)$/m),
    });
    const left = await queryDatabase(database.url, 'select id from outbox_events');
    expect(left).toEqual([{ id: unpublished.id }]);
  });

  it('when cleanup runs, then carts past CART_TTL_SECONDS / CART_GUEST_TTL_SECONDS are emptied and counted', async () => {
    await run(['up'], env);
    await queryDatabase(
      database.url,
      `with c as (
         insert into carts (customer_id, version, updated_at)
         values ('cli-old', 1, now() - interval '2 hours'), ('guest_cli', 1, now() - interval '2 hours'),
                ('cli-new', 1, now())
         returning id)
       insert into cart_items (cart_id, product_id, product_name, price, quantity) select id, 'p', 'P', 1, 1 from c`,
    );
    await expect(
      run(['cleanup'], { ...env, CART_TTL_SECONDS: '7200', CART_GUEST_TTL_SECONDS: '3600' }),
    ).resolves.toEqual({
      code: EXIT.ok,
      output: expect.stringMatching(/^emptied 2 expired cart\(s\)$/m),
    });
    const events = await queryDatabase(
      database.url,
      `select aggregate_id from outbox_events where type = 'cart.expired' order by 1`,
    );
    expect(events).toEqual([{ aggregate_id: 'cli-old' }, { aggregate_id: 'guest_cli' }]);
  });

  it('when cleanup runs, then pending orders older than ORDER_PAYMENT_TTL_SECONDS expire with version 2, a history entry and order.expired; others stay', async () => {
    await run(['up'], env);
    await queryDatabase(
      database.url,
      `insert into orders (customer_id, total_amount, subtotal, status, created_at, status_history)
       select 'c', 10, 10, status, now() - make_interval(secs => age), '[{"status":"pending","at":"2026-01-01T00:00:00.000Z","reason":null}]'
         from (values ('pending', 7200), ('pending', 60), ('cancelled', 7200)) as o(status, age)`,
    );
    await expect(run(['cleanup'], { ...env, CURRENCY: 'EUR' })).resolves.toEqual({
      code: EXIT.ok,
      output: expect.stringMatching(/^expired 1 order\(s\) unpaid after 3600 second\(s\)$/m),
    });
    const orders = await queryDatabase(
      database.url,
      `select status, version, jsonb_array_length(status_history) as entries, status_history -> 1 ->> 'status' as last
         from orders order by id`,
    );
    expect(orders).toEqual([
      { status: 'expired', version: 2, entries: 2, last: 'expired' },
      { status: 'pending', version: 1, entries: 1, last: null },
      { status: 'cancelled', version: 1, entries: 1, last: null },
    ]);
    const events = await queryDatabase(
      database.url,
      `select type, sequence, envelope -> 'data' -> 'order' ->> 'currency' as currency from outbox_events`,
    );
    // Stored without a currency, the order carries the service's CURRENCY in its event.
    expect(events).toEqual([{ type: 'order.expired', sequence: 2, currency: 'EUR' }]);
    await expect(run(['cleanup'], { ...env, ORDER_PAYMENT_TTL_SECONDS: '30' })).resolves.toEqual({
      code: EXIT.ok,
      output: expect.stringMatching(/^expired 1 order\(s\) unpaid after 30 second\(s\)$/m),
    });
  });

  it('when orders placed before the lifecycle migration are migrated, then they read back at version 1 with one pending entry dated at their placing', async () => {
    await run(['up'], env);
    await run(['down', '--to', 'Migration20261201120000_outbox'], env); // back to before the lifecycle migration
    await queryDatabase(
      database.url,
      `insert into orders (customer_id, total_amount, created_at) values ('c', 10, '2026-11-30T08:15:30.123Z')`,
    );
    await run(['up'], env);
    const [order] = await queryDatabase(
      database.url,
      'select version, status_history, payment_id, tracking_number from orders',
    );
    expect(order).toEqual({
      version: 1,
      status_history: [{ status: 'pending', at: '2026-11-30T08:15:30.123Z', reason: null }],
      payment_id: null,
      tracking_number: null,
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
    [['create'], {}, /usage: migrator/],
    [['up', '--bogus'], {}, /Unknown option/],
    [[], {}, /No database configured/],
    [[], { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a valid uri/],
    [['cleanup'], { DATABASE_URL: 'postgres://h/d', OUTBOX_RETENTION_HOURS: '0' }, /OUTBOX_RETENTION_HOURS/],
    [['cleanup'], { DATABASE_URL: 'postgres://h/d', CART_GUEST_TTL_SECONDS: '0' }, /CART_GUEST_TTL_SECONDS/],
    [
      [],
      { DATABASE_URL: 'postgres://h/d', DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db' },
      /conflict/,
    ],
  ])('when called with %p and %p, then it exits 2 explaining why', async (args, extraEnv, message) => {
    const result = await run(args, extraEnv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.output).toMatch(message);
  });
});
