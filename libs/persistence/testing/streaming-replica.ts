import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '../dev/free-port';
import { queryDatabase } from './test-database';

const run = promisify(execFile);

/** A primary and a hot standby streaming from it, two real PostgreSQL servers of this test's own. */
export interface StreamingReplication {
  /** postgres://postgres@127.0.0.1:<port>/postgres of the primary (trust authentication). */
  readonly primaryUrl: string;
  readonly replicaUrl: string;
  /** Until the standby has replayed everything the primary has flushed by now. */
  waitForReplay(): Promise<void>;
  /** `pg_ctl stop -m immediate`: the standby dies as in a crash, connections cut. */
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** The standby keeps receiving WAL but applies none of it, so it falls behind while writes go on. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops both servers and deletes their files. */
  stop(): Promise<void>;
}

/**
 * Starts a primary (wal_level=replica) and a standby made from it with
 * `pg_basebackup -R`, in a temporary folder on free ports, and waits until
 * the standby streams. Uses the PostgreSQL server binaries of the machine
 * (PG_BIN, or the newest /usr/lib/postgresql/<version>/bin).
 */
export async function startStreamingReplication(
  options: {
    /** More server settings for both (the standby copies the primary's), e.g. shared_preload_libraries. */
    readonly settings?: Readonly<Record<string, string | number>>;
  } = {},
): Promise<StreamingReplication> {
  const bin = serverBinaries();
  const owner = await serverUser();
  const dir = await mkdtemp(join(tmpdir(), 'carthub-replication-'));
  await chown(dir, owner.uid, owner.gid);
  const pg = (tool: string, ...args: string[]) =>
    run(join(bin, tool), args, { uid: owner.uid, gid: owner.gid, cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
  const [primaryPort, replicaPort] = [await findFreePort(), await findFreePort()];
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  const control = (data: string) => ({
    start: () => withLog(data, pg('pg_ctl', '-D', data, '-l', `${data}.log`, '-w', '-t', '60', 'start')),
    stop: (mode: 'fast' | 'immediate') => pg('pg_ctl', '-D', data, '-m', mode, '-w', 'stop'),
  });
  const primary = control(primaryDir);
  const replica = control(replicaDir);
  const url = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;
  const pair = { primaryUrl: url(primaryPort), replicaUrl: url(replicaPort) };

  await pg('initdb', '-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C');
  await appendFile(
    join(primaryDir, 'postgresql.conf'),
    settings({
      port: primaryPort,
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir}'`,
      wal_level: 'replica',
      max_wal_senders: 4,
      wal_keep_size: "'256MB'",
      hot_standby: 'on',
      // Test servers: durability is not what is tested, speed on a busy machine is welcome.
      fsync: 'off',
      full_page_writes: 'off',
      ...options.settings,
    }),
  );
  await primary.start();
  await pg('pg_basebackup', '-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R');
  await appendFile(join(replicaDir, 'postgresql.conf'), settings({ port: replicaPort }));
  await replica.start();
  await waitFor(
    async () =>
      (await queryDatabase(pair.primaryUrl, `select 1 from pg_stat_replication where state = 'streaming'`)).length > 0,
    'the standby to stream',
  );

  return {
    ...pair,
    async waitForReplay() {
      const [{ lsn }] = await queryDatabase<{ lsn: string }>(
        pair.primaryUrl,
        'select pg_current_wal_flush_lsn() as lsn',
      );
      await waitFor(async () => {
        const [row] = await queryDatabase<{ done: boolean }>(
          pair.replicaUrl,
          'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done',
          [lsn],
        );
        return row.done;
      }, 'the standby to replay');
    },
    stopReplica: () => replica.stop('immediate').then(() => undefined),
    startReplica: () => replica.start(),
    pauseReplay: () => queryDatabase(pair.replicaUrl, 'select pg_wal_replay_pause()').then(() => undefined),
    resumeReplay: () => queryDatabase(pair.replicaUrl, 'select pg_wal_replay_resume()').then(() => undefined),
    async stop() {
      await replica.stop('immediate').catch(() => undefined);
      await primary.stop('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function serverBinaries(): string {
  const has = (dir: string) => existsSync(join(dir, 'pg_basebackup')) && existsSync(join(dir, 'initdb'));
  const fromEnv = process.env['PG_BIN'];
  if (fromEnv && has(fromEnv)) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => has(join(root, version, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length > 0) return join(root, versions[0], 'bin');
  throw new Error(
    'No PostgreSQL server binaries with pg_basebackup: install them (Debian: apt-get install postgresql) or set PG_BIN',
  );
}

/** PostgreSQL refuses to run as root: then its servers run as the postgres user. */
async function serverUser(): Promise<{ uid: number; gid: number }> {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid };
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

function settings(values: Record<string, string | number>): string {
  return `\n${Object.entries(values)
    .map(([name, value]) => `${name} = ${value}`)
    .join('\n')}\n`;
}

/** A server that does not start says why in its log: the error carries it. */
async function withLog(dataDir: string, started: Promise<unknown>): Promise<void> {
  try {
    await started;
  } catch (error) {
    const log = await readFile(`${dataDir}.log`, 'utf8').catch(() => '');
    throw new Error(`${(error as Error).message}\n${log.slice(-2_000)}`, { cause: error });
  }
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (await condition().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
