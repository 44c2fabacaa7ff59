import { FLOOR_SCENARIOS } from './args.mjs';
import { runLoad } from './load.mjs';
import { scenarioLoad } from './scenarios.mjs';
import { cpuSeconds, heapMiB, rssMiB } from './services.mjs';

const MIXED_ROUNDS = 3;
const RSS_LIMIT_MIB = 256;
const RSS_GROWTH_LIMIT = 0.1;
/** The targets: the API's req/s as a share of the floor's. */
export const FLOOR_TARGETS = { get_cart: 0.5, add_item: 0.4, mixed: 0.5 };

/**
 * `target`: { name: 'api' | 'floor', url, pid }. Besides autocannon's figures,
 * the server's own CPU per request: on a small machine shared with PostgreSQL
 * and the load generator, this shows the server's cost where req/s cannot.
 */
async function run(name, target, settings, title, seconds) {
  const cpuBefore = cpuSeconds(target.pid);
  const result = await runLoad({
    url: target.url,
    title,
    seconds,
    connections: settings.connections,
    load: scenarioLoad(name, { target: target.name, acks: settings.acks }),
  });
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  return { ...result, cpuMsPerRequest: (1000 * cpu) / result.requests, cpuCores: cpu / result.seconds };
}

function warmUp(name, target, settings) {
  if (settings.warmup === 0) return undefined;
  return run(name, target, settings, `${name} ${target.name} warm-up`, settings.warmup);
}

/**
 * One scenario against the API: a warm-up, then one measured run, or for
 * `mixed` three in a row with the API's RSS read after each.
 */
export async function measureScenario(name, api, settings) {
  await warmUp(name, api, settings);
  if (name !== 'mixed') return run(name, api, settings, name, settings.duration);
  const rounds = [];
  for (let round = 1; round <= MIXED_ROUNDS; round++) {
    const result = await run(name, api, settings, `${name} round ${round}/${MIXED_ROUNDS}`, settings.duration);
    rounds.push({ ...result, rssMiB: rssMiB(api.pid), heapMiB: await heapMiB(api.metricsUrl) });
  }
  return { ...mean(rounds), rounds, rssFlags: rssFlags(rounds) };
}

function rssFlags(rounds) {
  const flags = [];
  rounds.forEach(({ rssMiB: rss }, i) => {
    if (rss > RSS_LIMIT_MIB) flags.push(`round ${i + 1}: ${rss.toFixed(0)} MiB > ${RSS_LIMIT_MIB} MiB`);
    const previous = rounds[i - 1]?.rssMiB;
    if (previous && rss > previous * (1 + RSS_GROWTH_LIMIT)) {
      flags.push(`round ${i + 1}: grew ${(100 * (rss / previous - 1)).toFixed(0)}% over round ${i}`);
    }
  });
  return flags;
}

/** Means of rates and latencies; sums of failures. */
export function mean(results) {
  const avg = (key) => results.reduce((total, r) => total + r[key], 0) / results.length;
  const sum = (key) => results.reduce((total, r) => total + r[key], 0);
  return {
    reqPerSec: avg('reqPerSec'),
    p50: avg('p50'),
    p99: avg('p99'),
    cpuMsPerRequest: avg('cpuMsPerRequest'),
    cpuCores: avg('cpuCores'),
    requests: sum('requests'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
  };
}

/**
 * API and floor alternately, A B A B, after one warm-up each, so that drift
 * (a growing table, a warming cache) hits both sides alike.
 */
export async function compareWithFloor(scenarios, api, floor, settings) {
  const compared = {};
  for (const name of scenarios.filter((s) => FLOOR_SCENARIOS.includes(s))) {
    await warmUp(name, api, settings);
    await warmUp(name, floor, settings);
    const sides = { api: [], floor: [] };
    for (let round = 1; round <= 2; round++) {
      for (const target of [api, floor]) {
        const title = `${name} ${target.name} ${target === api ? 'A' : 'B'}${round}`;
        sides[target.name].push(await run(name, target, settings, title, settings.duration));
      }
    }
    const apiMean = mean(sides.api);
    const floorMean = mean(sides.floor);
    const ratio = apiMean.reqPerSec / floorMean.reqPerSec;
    const cpuRatio = apiMean.cpuMsPerRequest / floorMean.cpuMsPerRequest;
    const target = FLOOR_TARGETS[name];
    compared[name] = { ...sides, apiMean, floorMean, ratio, cpuRatio, target, pass: ratio >= target };
  }
  return compared;
}
