import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADD_CUSTOMERS, PRODUCTS, SEEDED_CARTS } from './catalog.mjs';
import { cleaningUp, onCleanup } from './cleanup.mjs';
import { childCpuSeconds } from './proc.mjs';
import { outputOf } from './services.mjs';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'wrk');
const COUNTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../tmp/bench/wrk');
const INSTALL_HINT = 'install it with `sudo apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk` (macOS)';

/** wrk's version line, or an error saying how to install it; nothing is installed from here. */
export function wrkVersion() {
  try {
    // `wrk -v` prints its banner and exits 1.
    execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if (error.code === 'ENOENT')
      throw new Error(`the bench drives load with wrk, which is not on PATH: ${INSTALL_HINT}`);
    const banner = `${error.stdout ?? ''}${error.stderr ?? ''}`.split('\n')[0].trim();
    // "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer"
    if (banner.startsWith('wrk ')) return banner.replace(/\s*Copyright.*$/, '');
    throw new Error(`\`wrk -v\` failed (${error.message}); ${INSTALL_HINT}`);
  }
  return 'wrk (unknown version)';
}

export async function resetCounts() {
  await rm(COUNTS_DIR, { recursive: true, force: true });
  await mkdir(COUNTS_DIR, { recursive: true });
}

let runSerial = 0;

/** A label unique to one run: it names the run's customers (hot keys, checkouts) and its count files. */
export const nextRunLabel = () => `r${String(++runSerial).padStart(3, '0')}`;

/**
 * One bounded wrk run of `scenario` (tools/bench/wrk/<scenario>.lua). Resolves
 * with wrk's figures, wrk's own CPU time, and, for scenarios that count
 * acknowledged adds, the path prefix of the per-thread count files.
 */
export async function runWrk({ run, url, scenario, seconds, connections, threads, title }) {
  if (cleaningUp()) throw new Error('stopping');
  const out = join(COUNTS_DIR, `${run}-${scenario}`);
  const args = [
    `-t${threads}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '--latency',
    '-s',
    join(LUA_DIR, `${scenario}.lua`),
    url,
  ];
  const env = {
    ...process.env,
    BENCH_LUA_DIR: LUA_DIR,
    BENCH_RUN: run,
    BENCH_OUT: out,
    BENCH_SEEDED_CARTS: String(SEEDED_CARTS),
    BENCH_ADD_CUSTOMERS: String(ADD_CUSTOMERS),
    BENCH_PRODUCTS: String(PRODUCTS.length),
  };
  const cpuBefore = childCpuSeconds();
  const child = spawn('wrk', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const unregister = onCleanup(`stop wrk ${title}`, () => child.kill('SIGTERM'));
  const output = await outputOf(child, `wrk ${title}`, unregister);
  const wrkCpu = childCpuSeconds() - cpuBefore;
  const line = output.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`wrk ${title} printed no BENCH_RESULT line:\n${output.trim()}`);
  const r = JSON.parse(line.slice('BENCH_RESULT '.length));
  const elapsed = r.duration_us / 1e6;
  const errors = r.connect_errors + r.read_errors + r.write_errors + r.timeouts;
  return {
    run,
    reqPerSec: r.requests / elapsed,
    p50: r.p50_us / 1000,
    p90: r.p90_us / 1000,
    p99: r.p99_us / 1000,
    max: r.max_us / 1000,
    requests: r.requests,
    seconds: elapsed,
    non2xx: r.status_errors,
    errors,
    timeouts: r.timeouts,
    socketErrors: { connect: r.connect_errors, read: r.read_errors, write: r.write_errors, timeout: r.timeouts },
    statusCodes: r.status_codes,
    wrkCpuSeconds: wrkCpu,
    countsPrefix: out,
  };
}

/** Every count file one run's threads wrote: [{ key, sent, acked }]. */
export async function readCounts(prefix) {
  const dir = dirname(prefix);
  const base = `${prefix.slice(dir.length + 1)}-`;
  const files = (await readdir(dir)).filter((file) => file.startsWith(base) && file.endsWith('.tsv'));
  const rows = [];
  for (const file of files) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      if (!line) continue;
      const [key, sent, acked] = line.split('\t');
      rows.push({ key, sent: Number(sent), acked: Number(acked) });
    }
  }
  return rows;
}
