import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { onCleanup } from './cleanup.mjs';

export const API_MAIN = 'dist/apps/api/main.js';
const MIGRATOR_MAIN = 'dist/apps/migrator/main.js';
const MIGRATIONS_DIR = 'libs/persistence/src/migrations';

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves true once the child has exited, false if it is still running after `ms`. */
export function waitForExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** The children get the bench's database and nothing else: a DB_HOST or DB_SECRET_ARN in the shell would clash with it. */
function childEnv(extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('DB_')) delete env[key];
  return { ...env, ...extra };
}

/** Runs a command to completion; its output is shown only if it fails. */
function run(command, args, env, label) {
  const child = spawn(command, args, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = onCleanup(label, async () => {
    child.kill('SIGTERM');
    await waitForExit(child, 5_000);
  });
  return outputOf(child, label, stop);
}

/** A child's stdout and stderr once it exits 0; otherwise an error that shows them. `done` runs either way. */
export function outputOf(child, label, done) {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      done();
      if (code === 0) resolve(output);
      else reject(new Error(`${label} failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

/** The bench script builds only the API; the migrator is built here when absent or older than a migration. */
export async function ensureMigratorBuilt(log) {
  if (existsSync(MIGRATOR_MAIN)) {
    const built = statSync(MIGRATOR_MAIN).mtimeMs;
    const newest = Math.max(...readdirSync(MIGRATIONS_DIR).map((file) => statSync(join(MIGRATIONS_DIR, file)).mtimeMs));
    if (built >= newest) return;
  }
  log('building the migrator (npx nx build migrator)…');
  await run('npx', ['nx', 'build', 'migrator', '--outputStyle=static'], {}, 'nx build migrator');
}

export async function migrate(url, log) {
  const output = await run(process.execPath, [MIGRATOR_MAIN, 'up'], { DATABASE_URL: url }, 'migrator up');
  log(`migrated: ${output.trim().split('\n').at(-1)}`);
}

/**
 * Starts a Node service as a child process, keeping the tail of its stderr to
 * show if it dies; its stdout (the API's request log) goes to `stdoutFile`
 * when given, as a deployment's log collector would take it, never through
 * this process. Cleanup stops it (SIGTERM, then SIGKILL after 10 s).
 */
export function startService({ name, script, env, nodeArgs = [], ipc = false, stdoutFile }) {
  const stdoutFd = stdoutFile ? openSync(stdoutFile, 'w') : undefined;
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: childEnv(env),
    stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  if (stdoutFd !== undefined) closeSync(stdoutFd);
  const service = { name, child, logLines: 0, tail: [], stdoutFile };
  const keep = (chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      service.logLines += 1;
      service.tail.push(line);
      if (service.tail.length > 20) service.tail.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr.on('data', keep);
  service.stop = () => stopService(service);
  service.unregister = onCleanup(`stop ${name}`, service.stop);
  return service;
}

export async function stopService(service) {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await waitForExit(child, 10_000))) {
    child.kill('SIGKILL');
    await waitForExit(child, 2_000);
  }
  service.unregister();
}

/** Polls `path` until it answers 200; fails early if the process dies. */
export async function waitUntilServing(service, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`${service.name} exited during start-up:\n${service.tail.join('\n')}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${service.name} did not answer ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The API's own view of its memory (prom-client's default metrics), to tell a heap that grows from V8 headroom. */
export async function heapMiB(metricsUrl) {
  try {
    const text = await (await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const gauge = (name) => {
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+]+)$`, 'm').exec(text);
      return match ? +(Number(match[1]) / 2 ** 20).toFixed(1) : undefined;
    };
    return {
      heapUsed: gauge('nodejs_heap_size_used_bytes'),
      heapTotal: gauge('nodejs_heap_size_total_bytes'),
      external: gauge('nodejs_external_memory_bytes'),
    };
  } catch {
    return undefined;
  }
}
