// `npm run bench`: load-tests the built API with wrk on a fresh database,
// optionally alternating with the framework-free floor server, and writes
// reports to tmp/bench/. See tools/bench/README.md.
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AckTally, verifyAcknowledgedAdds } from './acks.mjs';
import { FLOORS, parseBenchArgs, USAGE, UsageError } from './args.mjs';
import { cleaningUp, cleanup, exitCleanlyOnSignals } from './cleanup.mjs';
import { summariseNewestProfile } from './cpuprofile.mjs';
import { provideDatabase } from './database.mjs';
import { loadAverage, rssMiB } from './proc.mjs';
import { gitCommit, machineInfo, printSummary, REPORT_DIR, writeReports } from './report.mjs';
import { measureScenario } from './runs.mjs';
import { seedCarts } from './seed.mjs';
import { API_MAIN, ensureMigratorBuilt, freePort, migrate, startService, waitUntilServing } from './services.mjs';
import { resetCounts, wrkVersion } from './wrk.mjs';
import { startCatalogServer } from '../catalog/server.mjs';

const CPU_PROFILE_DIR = `${REPORT_DIR}/cpu-prof`;
const API_LOG = `${REPORT_DIR}/api.log`;
/** The API as deployed: the image's Node settings (Dockerfile), the ConfigMap's log level, rate limiting and metrics on. */
const API_ENV = {
  NODE_ENV: 'production',
  NODE_OPTIONS: '--max-semi-space-size=32 --max-old-space-size=384',
  LOG_LEVEL: 'info',
  // On, with a budget the bench never spends (one client address sends every request).
  RATE_LIMIT_MAX: '1000000000',
  RATE_LIMIT_WINDOW_MS: '60000',
  CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE: '1000000',
  GUEST_SESSIONS_MAX_PER_ADDRESS_PER_HOUR: '1000000',
  DB_POOL_MAX: '20',
  HOST: '127.0.0.1',
  SHUTDOWN_GRACE_MS: '3000',
};
/** Every product the wrk scripts add (prod-0 … prod-49, lib.lua), as the reference catalog serves them. */
const catalogProducts = (count = 50) =>
  Array.from({ length: count }, (_, k) => ({
    product_id: `prod-${k}`,
    name: `Bench product ${k}`,
    price: `${(k % 20) + 1}.99`,
    currency: 'USD',
    active: true,
  }));

const log = (line) => process.stderr.write(`${line}\n`);

async function main(argv) {
  const options = parseBenchArgs(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const wrk = wrkVersion();
  process.chdir(resolve(dirname(fileURLToPath(import.meta.url)), '../..'));
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing; \`npm run bench\` builds it first`);
  exitCleanlyOnSignals();
  const date = new Date().toISOString();
  const loadAtStart = loadAverage();
  log(`${wrk}; load average ${loadAtStart.one} ${loadAtStart.five} ${loadAtStart.fifteen}`);

  await mkdir(REPORT_DIR, { recursive: true });
  await resetCounts();
  await ensureMigratorBuilt(log);
  const databaseUrl = await provideDatabase(log);
  await migrate(databaseUrl, log);
  const metricsPort = await freePort();
  // Catalog mode: the reference catalog in this process; the warm-up fills the API's product cache.
  const catalog = options.catalog ? await startCatalogServer({ products: catalogProducts() }) : undefined;
  const apiEnv = { ...API_ENV, ...(catalog ? { PRICE_SOURCE: 'catalog', CATALOG_URL: catalog.url } : {}) };
  const api = await startNodeService(
    'API',
    API_MAIN,
    { ...apiEnv, DATABASE_URL: databaseUrl, METRICS_PORT: String(metricsPort) },
    '/health',
    { nodeArgs: options.cpuProf ? await cpuProfileArgs() : [], stdoutFile: API_LOG },
  );
  api.metricsUrl = `http://127.0.0.1:${metricsPort}`;
  log(`API on ${api.url} (pid ${api.pid}), request log in ${API_LOG}`);
  const apiRss = { afterStart: rssMiB(api.pid) };
  const seed = await seedCarts(api.url);
  apiRss.afterSeed = rssMiB(api.pid);

  const floors = [];
  for (const name of options.floors) {
    const { script, env } = FLOORS[name];
    const floor = await startNodeService(name, script, { ...env, DATABASE_URL: databaseUrl }, '/api/v1/cart/bench-0', {
      ipc: true,
    });
    floors.push(floor);
    log(`${name} floor (${script}) on ${floor.url} (pid ${floor.pid})`);
  }

  const acks = new AckTally();
  const settings = {
    ...options,
    acks,
    cores: os.cpus().length,
    databaseUrl,
    databaseName: new URL(databaseUrl).pathname.slice(1),
  };
  const scenarios = {};
  for (const name of options.scenarios) scenarios[name] = await measureScenario(name, api, floors, settings);

  for (const floor of floors) await floor.stop();
  const acknowledgedAdds = acks.empty ? undefined : await verifyAcknowledgedAdds(databaseUrl, acks);
  await api.stop();
  await catalog?.close();
  const cpuProfile = options.cpuProf ? await summariseNewestProfile(CPU_PROFILE_DIR) : undefined;

  const report = {
    date,
    commit: gitCommit(),
    machine: machineInfo(),
    loadAtStart,
    loadAtEnd: loadAverage(),
    settings: {
      wrk,
      threads: options.threads,
      connections: options.connections,
      duration: options.duration,
      warmup: options.warmup,
      rounds: options.rounds,
      scenarios: options.scenarios,
      floors: options.floors,
      prices: options.catalog ? 'catalog (reference catalog server, 30 s cache)' : 'client',
      checkoutDiscountCode: options.discountCode ? 'BENCH10 (10 %) on every checkout cart' : 'none',
      database: process.env.DATABASE_URL
        ? 'DATABASE_URL server (fresh database)'
        : 'embedded PostgreSQL (fresh cluster)',
      apiEnv,
    },
    seed,
    apiRss,
    scenarios,
    acknowledgedAdds,
    apiLog: await logSummary(API_LOG, api.service),
    cpuProfile,
  };
  printSummary(report);
  const files = await writeReports(report);
  log(`\nreports: ${files.md} (chart ${files.svg}), ${files.json}`);
}

async function startNodeService(name, script, env, readyPath, { nodeArgs, ipc, stdoutFile } = {}) {
  const port = await freePort();
  const service = startService({ name, script, env: { ...env, PORT: String(port) }, nodeArgs, ipc, stdoutFile });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(service, `${url}${readyPath}`);
  return { name: name === 'API' ? 'api' : name, url, pid: service.child.pid, service, stop: service.stop };
}

async function cpuProfileArgs() {
  await rm(CPU_PROFILE_DIR, { recursive: true, force: true });
  return ['--cpu-prof', '--cpu-prof-dir', CPU_PROFILE_DIR];
}

/** How many lines the API logged, and the last ones at warn or above (pino level ≥ 40), plus its stderr. */
async function logSummary(file, service) {
  let lines = 0;
  const warnings = [];
  const reader = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of reader) {
    lines += 1;
    const level = /"level":(\d+)/.exec(line);
    if (level && Number(level[1]) >= 40) {
      warnings.push(line.slice(0, 400));
      if (warnings.length > 20) warnings.shift();
    }
  }
  return { file, lines, warnings, stderr: service.tail };
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
