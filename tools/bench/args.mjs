import { parseArgs } from 'node:util';

export const SCENARIOS = ['get_cart', 'add_item', 'mixed', 'checkout', 'hot_add'];
/** Which server --vs-floor alternates with, and what the report says of it. Every floor serves every scenario. */
export const FLOORS = {
  bare: {
    script: 'tools/bench/floor-server.mjs',
    env: {},
    description:
      'The floor (`tools/bench/floor-server.mjs`) is the cheapest correct implementation of each operation: `node:http` + `pg`, ' +
      'one statement per cart read and write and per checkout (the order, its lines, the emptied cart, the Idempotency-Key and both events), same schema, same JSON.',
  },
  koa: {
    script: 'tools/bench/koa-floor.mjs',
    env: {},
    description:
      "The floor here is the stack alone (`tools/bench/koa-floor.mjs`): the bare floor's handlers, statements and JSON, served through Koa and @koa/router with nothing else.",
  },
  'koa-deployed': {
    script: 'tools/bench/koa-floor.mjs',
    env: { KOA_FLOOR_FEATURES: 'deployed' },
    description:
      "The floor here is the stack with the deployed features (`tools/bench/koa-floor.mjs`, KOA_FLOOR_FEATURES=deployed): the bare floor's handlers, statements and JSON " +
      'through Koa and @koa/router, plus compression, a request id, the security headers, one pino line and one histogram sample per request, and the in-memory rate limiter; ' +
      'what the API spends beyond it is its validation, access checks, domain and persistence code.',
  },
};

export const USAGE = `usage: npm run bench -- [--vs-floor] [--rounds <n>] [--duration <s>] [--warmup <s>] [--connections <n>] [--threads <n>] [--scenarios a,b]
  --vs-floor         alternate the API with the framework-free floor server (tools/bench/floor-server.mjs)
  --floor <names>    with --vs-floor, which floors, comma separated, in the order they run after the API:
                     bare (default), koa (Koa + @koa/router alone), koa-deployed (koa plus the deployed
                     features: compression, request id, headers, log, metrics, rate limit), both the bare
                     floor's handlers behind Koa (tools/bench/koa-floor.mjs). With bare and a koa floor, the
                     report also gives that koa floor ÷ bare: what the stack costs before any of the API's own code
  --rounds <n>       measured rounds per scenario and side (default 2; API, floor, API, floor …)
  --duration <s>     length of each measured run (default 10)
  --warmup <s>       length of the unrecorded warm-up of each side before each scenario (default 3; 0 skips it)
  --connections <n>  wrk connections (default 32)
  --threads <n>      wrk threads (default 2)
  --scenarios a,b    subset of ${SCENARIOS.join(',')} (default: all)
  --cpu-prof         run the API under node --cpu-prof and summarise its hottest functions
  --catalog          run the API in catalog mode (PRICE_SOURCE=catalog) against the reference catalog server
  --discount-code    checkout: every cart carries the discount code BENCH10 (10 %, no limit), so each order
                     counts a use (the floors ignore it: they know no discount codes)
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
        floor: { type: 'string', default: 'bare' },
        'cpu-prof': { type: 'boolean', default: false },
        catalog: { type: 'boolean', default: false },
        'discount-code': { type: 'boolean', default: false },
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
  // Without --vs-floor only the API runs.
  const floors = values['vs-floor'] ? floorList(values.floor) : [];
  const threads = integer('--threads', values.threads, 1);
  const connections = integer('--connections', values.connections, 1);
  if (connections < threads)
    throw new UsageError('--connections must be at least --threads (wrk gives each thread its share)');
  return {
    help: values.help,
    floors,
    cpuProf: values['cpu-prof'],
    catalog: values.catalog,
    discountCode: values['discount-code'],
    rounds: integer('--rounds', values.rounds, 1),
    duration: integer('--duration', values.duration, 1),
    warmup: integer('--warmup', values.warmup, 0),
    connections,
    threads,
    scenarios: SCENARIOS.filter((name) => scenarios.includes(name)),
  };
}

function floorList(text) {
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !Object.hasOwn(FLOORS, name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--floor must be one or more of ${Object.keys(FLOORS).join(', ')} (comma separated)`);
  }
  if (new Set(names).size !== names.length) throw new UsageError('--floor names a floor twice');
  return names;
}

function integer(flag, text, min) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${flag} must be an integer >= ${min}`);
  return value;
}
