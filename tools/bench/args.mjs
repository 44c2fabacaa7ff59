import { parseArgs } from 'node:util';

export const SCENARIOS = ['get_cart', 'add_item', 'mixed', 'checkout'];
/** The floor server only knows GET cart and add, so only these are compared. */
export const FLOOR_SCENARIOS = ['get_cart', 'add_item', 'mixed'];

export const USAGE = `usage: npm run bench -- [--vs-floor] [--duration <s>] [--warmup <s>] [--connections <n>] [--scenarios a,b]
  --vs-floor         also compare get_cart, add_item and mixed with a framework-free floor server
  --duration <s>     length of each measured run (default 10)
  --warmup <s>       length of the unrecorded warm-up before each scenario (default 3; 0 skips it)
  --connections <n>  concurrent connections (default 32)
  --scenarios a,b    subset of ${SCENARIOS.join(',')} (default: all)
  --cpu-prof         run the API under node --cpu-prof and summarise its hottest functions
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
        duration: { type: 'string', default: '10' },
        warmup: { type: 'string', default: '3' },
        connections: { type: 'string', default: '32' },
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
  return {
    help: values.help,
    vsFloor: values['vs-floor'],
    cpuProf: values['cpu-prof'],
    duration: integer('--duration', values.duration, 1),
    warmup: integer('--warmup', values.warmup, 0),
    connections: integer('--connections', values.connections, 1),
    scenarios: SCENARIOS.filter((name) => scenarios.includes(name)),
  };
}

function integer(flag, text, min) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${flag} must be an integer >= ${min}`);
  return value;
}
