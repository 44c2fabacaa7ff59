import { parseArgs } from 'node:util';

export const SCENARIOS = ['get_cart', 'add_item', 'mixed', 'checkout', 'hot_add'];
/** The floor serves all of them. */
export const FLOOR_SCENARIOS = SCENARIOS;

export const USAGE = `usage: npm run bench -- [--vs-floor] [--rounds <n>] [--duration <s>] [--warmup <s>] [--connections <n>] [--threads <n>] [--scenarios a,b]
  --vs-floor         alternate the API with the framework-free floor server (tools/bench/floor-server.mjs)
  --rounds <n>       measured rounds per scenario and side (default 2; API, floor, API, floor …)
  --duration <s>     length of each measured run (default 10)
  --warmup <s>       length of the unrecorded warm-up of each side before each scenario (default 3; 0 skips it)
  --connections <n>  wrk connections (default 32)
  --threads <n>      wrk threads (default 2)
  --scenarios a,b    subset of ${SCENARIOS.join(',')} (default: all)
  --cpu-prof         run the API under node --cpu-prof and summarise its hottest functions
  --catalog          run the API in catalog mode (PRICE_SOURCE=catalog) against the reference catalog server
requires: wrk on PATH (Debian/Ubuntu: sudo apt-get install -y wrk)
env: DATABASE_URL  use this PostgreSQL server (a fresh carthub_bench_* database is created and dropped)`;

export class UsageError extends Error {}

export function parseBenchArgs(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'vs-floor': { type: 'boolean', default: false },
        'cpu-prof': { type: 'boolean', default: false },
        catalog: { type: 'boolean', default: false },
        rounds: { type: 'string', default: '2' },
        duration: { type: 'string', default: '10' },
        warmup: { type: 'string', default: '3' },
        connections: { type: 'string', default: '32' },
        threads: { type: 'string', default: '2' },
        scenarios: { type: 'string', default: SCENARIOS.join(',') },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  const scenarios = values.scenarios
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = scenarios.filter((name) => !SCENARIOS.includes(name));
  if (unknown.length > 0 || scenarios.length === 0) {
    throw new UsageError(`unknown scenario(s): ${unknown.join(', ') || '(none given)'}`);
  }
  const threads = integer('--threads', values.threads, 1);
  const connections = integer('--connections', values.connections, 1);
  if (connections < threads)
    throw new UsageError('--connections must be at least --threads (wrk gives each thread its share)');
  return {
    help: values.help,
    vsFloor: values['vs-floor'],
    cpuProf: values['cpu-prof'],
    catalog: values.catalog,
    rounds: integer('--rounds', values.rounds, 1),
    duration: integer('--duration', values.duration, 1),
    warmup: integer('--warmup', values.warmup, 0),
    connections,
    threads,
    scenarios: SCENARIOS.filter((name) => scenarios.includes(name)),
  };
}

function integer(flag, text, min) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${flag} must be an integer >= ${min}`);
  return value;
}
