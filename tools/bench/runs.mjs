import {
  cpuSeconds,
  loadAverage,
  machineBusy,
  machineCpu,
  postgresBackendCpu,
  postgresCpuDelta,
  rssMiB,
} from './proc.mjs';
import { heapMiB } from './services.mjs';
import { fillCheckoutCarts } from './seed.mjs';
import { nextRunLabel, readCounts, runWrk } from './wrk.mjs';

/** The targets (API ÷ floor), per scenario; p99 and RSS apply to every scenario and to mixed. */
export const TARGETS = {
  get_cart: { cpuRatio: 1.5, reqRatio: 0.6 },
  add_item: { cpuRatio: 2.0, reqRatio: 0.5 },
  mixed: { cpuRatio: 1.7, reqRatio: 0.55 },
};
export const P99_RATIO_LIMIT = 2;
export const RSS_LIMIT_MIB = 256;
const RSS_GROWTH_LIMIT = 0.1;
/** Scenarios whose adds are counted and checked against the database afterwards. */
const COUNTED = new Set(['add_item', 'hot_add']);

const log = (line) => process.stderr.write(`${line}\n`);
const sum = (runs, key) => runs.reduce((total, r) => total + (r[key] ?? 0), 0);

function snapshot(target, settings) {
  return {
    server: cpuSeconds(target.pid),
    postgres: postgresBackendCpu(settings.databaseName),
    machine: machineCpu(),
    load: loadAverage(),
  };
}

/**
 * One wrk run against `target` ({ name: 'api' | 'floor', url, pid }), with
 * what it cost: the server's own CPU, PostgreSQL's (the backends of the
 * bench's database), wrk's, and whatever else kept the machine busy meanwhile.
 */
async function run(name, target, settings, title, seconds) {
  const label = nextRunLabel();
  if (name === 'checkout') {
    await fillCheckoutCarts(settings.databaseUrl, label, settings.threads, seconds, settings.discountCode);
  }
  const before = snapshot(target, settings);
  const result = await runWrk({
    run: label,
    url: target.url,
    scenario: name,
    seconds,
    connections: settings.connections,
    threads: settings.threads,
    title,
  });
  const after = snapshot(target, settings);
  if (COUNTED.has(name)) settings.acks.add(name, await readCounts(result.countsPrefix));
  const serverCpu = after.server - before.server;
  const postgresCpu = postgresCpuDelta(before.postgres, after.postgres);
  const machine = machineBusy(before.machine, after.machine, settings.cores);
  const busySeconds = machine.busyCores * result.seconds;
  const measured = {
    ...result,
    side: target.name,
    serverCpuSeconds: serverCpu,
    postgresCpuSeconds: postgresCpu,
    cpuMsPerRequest: (1000 * serverCpu) / result.requests,
    postgresMsPerRequest: (1000 * postgresCpu) / result.requests,
    serverCores: serverCpu / result.seconds,
    postgresCores: postgresCpu / result.seconds,
    wrkCores: result.wrkCpuSeconds / result.seconds,
    machineBusyPercent: machine.busyPercent,
    // Busy CPU not spent by the server, its backends or wrk: other work on the machine (and the kernel's share of loopback).
    otherCores: Math.max(0, busySeconds - serverCpu - postgresCpu - result.wrkCpuSeconds) / result.seconds,
    loadBefore: before.load,
    loadAfter: after.load,
    rssMiB: rssMiB(target.pid),
  };
  if (name === 'checkout') {
    measured.checkouts = measured.statusCodes['201'] ?? 0;
    measured.checkoutsPerSec = measured.checkouts / result.seconds;
  }
  log(
    `${title.padEnd(26)} ${measured.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${measured.p50.toFixed(1)} p99 ${measured.p99.toFixed(1)} ms  ` +
      `server ${measured.cpuMsPerRequest.toFixed(3)} ms/req  pg ${measured.postgresMsPerRequest.toFixed(3)} ms/req  ` +
      `wrk ${measured.wrkCores.toFixed(2)} cores  busy ${measured.machineBusyPercent.toFixed(0)}%  other ${measured.otherCores.toFixed(2)} cores  ` +
      `load ${measured.loadAfter.one.toFixed(2)}  ${measured.non2xx} non-2xx ${measured.errors} errors`,
  );
  return measured;
}

/** Figures over several rounds of one side: rates and latencies averaged, CPU per request as total CPU ÷ total requests. */
export function combine(runs) {
  const n = runs.length;
  const requests = sum(runs, 'requests');
  const checkouts = sum(runs, 'checkouts');
  return {
    reqPerSec: sum(runs, 'reqPerSec') / n,
    p50: sum(runs, 'p50') / n,
    p99: sum(runs, 'p99') / n,
    cpuMsPerRequest: (1000 * sum(runs, 'serverCpuSeconds')) / requests,
    postgresMsPerRequest: (1000 * sum(runs, 'postgresCpuSeconds')) / requests,
    wrkCores: sum(runs, 'wrkCores') / n,
    otherCores: sum(runs, 'otherCores') / n,
    machineBusyPercent: sum(runs, 'machineBusyPercent') / n,
    requests,
    non2xx: sum(runs, 'non2xx'),
    errors: sum(runs, 'errors'),
    timeouts: sum(runs, 'timeouts'),
    ...(checkouts > 0 ? { checkoutsPerSec: sum(runs, 'checkoutsPerSec') / n } : {}),
  };
}

/**
 * One scenario: a warm-up of each side, then `rounds` measured rounds, the API
 * then each floor in each (A B C A B C …), so that drift (a growing table, a
 * warming cache, a neighbour's job) hits every side alike.
 */
export async function measureScenario(name, api, floors, settings) {
  // Every floor serves every scenario (tools/bench/floor-handlers.mjs).
  const sides = [api, ...floors];
  const warmUps = {};
  if (settings.warmup > 0) {
    for (const target of sides) {
      warmUps[target.name] = await run(name, target, settings, `${name} ${target.name} warm-up`, settings.warmup);
    }
  }
  const runs = Object.fromEntries(sides.map((target) => [target.name, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const target of sides) {
      const result = await run(
        name,
        target,
        settings,
        `${name} ${target.name} ${round}/${settings.rounds}`,
        settings.duration,
      );
      if (target === api && name === 'mixed') result.heapMiB = await heapMiB(api.metricsUrl);
      runs[target.name].push(result);
    }
  }
  const means = Object.fromEntries(Object.entries(runs).map(([side, sideRuns]) => [side, combine(sideRuns)]));
  const outcome = {
    runs,
    means,
    comparisons: comparisons(
      name,
      means,
      floors.map((floor) => floor.name),
    ),
    warmUpRssMiB: warmUps.api?.rssMiB,
  };
  if (name === 'mixed') outcome.rss = rssVerdict(warmUps.api?.rssMiB, runs.api);
  return outcome;
}

/**
 * The API against each floor (the targets apply against the bare one),
 * and each stack floor against the bare floor when both ran: what the stack
 * costs before any of the API's own code.
 */
export function comparisons(name, means, floors) {
  const pairs = floors.map((floor) => ['api', floor]);
  if (floors.includes('bare')) for (const floor of floors) if (floor !== 'bare') pairs.push([floor, 'bare']);
  return pairs.map(([subject, floor]) => {
    const judged = subject === 'api' && floor === 'bare';
    return { subject, floor, ...verdicts(means[subject], means[floor], judged, judged ? TARGETS[name] : undefined) };
  });
}

/** Ratios of `subject` to `floor`; PASS or FAIL only for the API against the bare floor, which the targets are set against. */
function verdicts(subject, floor, judged, target) {
  const reqRatio = subject.reqPerSec / floor.reqPerSec;
  const cpuRatio = subject.cpuMsPerRequest / floor.cpuMsPerRequest;
  const p99Ratio = subject.p99 / floor.p99;
  return {
    reqRatio,
    cpuRatio,
    p99Ratio,
    reqTarget: target?.reqRatio,
    cpuTarget: target?.cpuRatio,
    reqPass: target ? reqRatio >= target.reqRatio : undefined,
    cpuPass: target ? cpuRatio <= target.cpuRatio : undefined,
    p99Pass: judged ? p99Ratio <= P99_RATIO_LIMIT : undefined,
  };
}

/** Under mixed load the API's RSS must stay under the limit and flat: no round more than 10 % above the one before. */
function rssVerdict(afterWarmUp, apiRuns) {
  const readings = [afterWarmUp, ...apiRuns.map((r) => r.rssMiB)].filter(Number.isFinite);
  const flags = [];
  readings.forEach((rss, i) => {
    if (rss > RSS_LIMIT_MIB) flags.push(`${rss.toFixed(0)} MiB > ${RSS_LIMIT_MIB} MiB`);
    const previous = readings[i - 1];
    if (previous && rss > previous * (1 + RSS_GROWTH_LIMIT)) {
      flags.push(`grew ${(100 * (rss / previous - 1)).toFixed(0)}% (${previous.toFixed(0)} → ${rss.toFixed(0)} MiB)`);
    }
  });
  return { readings, flags, pass: flags.length === 0 };
}
