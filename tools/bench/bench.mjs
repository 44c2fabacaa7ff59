// `npm run bench`: load-tests the built API on a fresh database, optionally
// against the framework-free floor server, and writes reports to tmp/bench/.
// See tools/bench/README.md.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AckTally, verifyAcknowledgedAdds } from './acks.mjs';
import { parseBenchArgs, USAGE, UsageError } from './args.mjs';
import { cleaningUp, cleanup, exitCleanlyOnSignals } from './cleanup.mjs';
import { summariseNewestProfile } from './cpuprofile.mjs';
import { provideDatabase } from './database.mjs';
import { machineInfo, gitCommit, printSummary, REPORT_DIR, writeReports } from './report.mjs';
import { compareWithFloor, measureScenario } from './runs.mjs';
import { seedCarts } from './seed.mjs';
import {
  API_MAIN,
  ensureMigratorBuilt,
  freePort,
  migrate,
  rssMiB,
  startService,
  waitUntilServing,
} from './services.mjs';

const FLOOR_MAIN = 'tools/bench/floor-server.mjs';
const CPU_PROFILE_DIR = `${REPORT_DIR}/cpu-prof`;
const API_ENV = {
  // The memory flags the container image runs with (Dockerfile), so RSS is measured as deployed.
  NODE_OPTIONS: '--max-semi-space-size=32 --max-old-space-size=384',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_MAX: '0',
  DB_POOL_MAX: '20',
  HOST: '127.0.0.1',
  SHUTDOWN_GRACE_MS: '3000',
};

const log = (line) => process.stderr.write(`${line}\n`);

async function main(argv) {
  const options = parseBenchArgs(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  process.chdir(resolve(dirname(fileURLToPath(import.meta.url)), '../..'));
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing; \`npm run bench\` builds it first`);
  exitCleanlyOnSignals();
  const date = new Date().toISOString();

  await ensureMigratorBuilt(log);
  const databaseUrl = await provideDatabase(log);
  await migrate(databaseUrl, log);
  const metricsPort = await freePort();
  const api = await startNodeService(
    'API',
    API_MAIN,
    { ...API_ENV, DATABASE_URL: databaseUrl, METRICS_PORT: String(metricsPort) },
    '/health',
    { nodeArgs: options.cpuProf ? await cpuProfileArgs() : [] },
  );
  api.metricsUrl = `http://127.0.0.1:${metricsPort}`;
  log(`API on ${api.url} (pid ${api.pid})`);
  const apiRss = { afterStart: rssMiB(api.pid) };
  const seed = await seedCarts(api.url);
  apiRss.afterSeed = rssMiB(api.pid);

  const acks = new AckTally();
  const settings = { ...options, acks };
  const scenarios = {};
  for (const name of options.scenarios) scenarios[name] = await measureScenario(name, api, settings);

  let vsFloor;
  if (options.vsFloor) {
    const floor = await startNodeService('floor', FLOOR_MAIN, { DATABASE_URL: databaseUrl }, '/api/v1/cart/bench-0', {
      ipc: true,
    });
    log(`floor server on ${floor.url} (pid ${floor.pid})`);
    vsFloor = { scenarios: await compareWithFloor(options.scenarios, api, floor, settings) };
    vsFloor.zeroErrors = errorTotals(scenarios, vsFloor.scenarios);
    await floor.stop();
  }

  const acknowledgedAdds = acks.adds > 0 ? await verifyAcknowledgedAdds(databaseUrl, acks) : undefined;
  await api.stop();
  const cpuProfile = options.cpuProf ? await summariseNewestProfile(CPU_PROFILE_DIR) : undefined;

  const report = {
    date,
    commit: gitCommit(),
    machine: machineInfo(),
    settings: {
      duration: options.duration,
      warmup: options.warmup,
      connections: options.connections,
      scenarios: options.scenarios,
      vsFloor: options.vsFloor,
      database: process.env.DATABASE_URL
        ? 'DATABASE_URL server (fresh database)'
        : 'embedded PostgreSQL (fresh cluster)',
      apiEnv: API_ENV,
    },
    seed,
    apiRss,
    scenarios,
    acknowledgedAdds,
    vsFloor,
    apiLog: { lines: api.service.logLines, tail: api.service.tail },
    cpuProfile,
  };
  printSummary(report);
  const files = await writeReports(report);
  log(`\nreports: ${files.md} (chart ${files.svg}), ${files.json}`);
}

async function startNodeService(name, script, env, readyPath, { nodeArgs, ipc } = {}) {
  const port = await freePort();
  const service = startService({ name, script, env: { ...env, PORT: String(port) }, nodeArgs, ipc });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(service, `${url}${readyPath}`);
  return { name: name === 'API' ? 'api' : name, url, pid: service.child.pid, service, stop: service.stop };
}

async function cpuProfileArgs() {
  await rm(CPU_PROFILE_DIR, { recursive: true, force: true });
  return ['--cpu-prof', '--cpu-prof-dir', CPU_PROFILE_DIR];
}

/** The "zero errors": every API response over the whole bench was 2xx, none failed or timed out. */
function errorTotals(scenarios, compared) {
  const apiRuns = [...Object.values(scenarios), ...Object.values(compared).flatMap((c) => c.api)];
  const floorRuns = Object.values(compared).flatMap((c) => c.floor);
  const total = (runs, key) => runs.reduce((sum, run) => sum + run[key], 0);
  const totals = {
    apiNon2xx: total(apiRuns, 'non2xx'),
    apiErrors: total(apiRuns, 'errors'),
    floorNon2xx: total(floorRuns, 'non2xx'),
    floorErrors: total(floorRuns, 'errors'),
  };
  return { ...totals, pass: totals.apiNon2xx === 0 && totals.apiErrors === 0 };
}

main(process.argv.slice(2)).then(
  () => cleanup().then(() => process.exit(0)),
  (error) => {
    if (error instanceof UsageError) {
      log(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    // A signal's handler is already cleaning up and will exit.
    if (cleaningUp()) return;
    log(`bench failed: ${error?.stack ?? error}`);
    cleanup().then(() => process.exit(1));
  },
);
