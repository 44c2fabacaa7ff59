import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/*
 * No test runs a whole bench (it is a tool, minutes long), so this is what
 * catches a bench that cannot even start: every module it imports loads, and
 * its options are checked before anything is measured.
 */
const bench = (...args: string[]) =>
  spawnSync(process.execPath, [join(__dirname, 'bench.mjs'), ...args], { encoding: 'utf8', timeout: 30_000 });

describe('bench command line', () => {
  it('when asked for help, then it loads all its modules and prints every option', () => {
    const { status, stdout } = bench('--help');
    expect(status).toBe(0);
    for (const option of ['--vs-floor', '--floor <names>', '--rounds', '--scenarios', '--cpu-prof', '--catalog']) {
      expect(stdout).toContain(option);
    }
  });

  it('when koa floors are named for every scenario, then the options are accepted: every floor serves every scenario', () => {
    const accepted = bench('--vs-floor', '--floor', 'bare,koa,koa-deployed', '--help');
    expect(accepted.stderr).toBe('');
    expect(accepted.status).toBe(0);
    const one = bench('--vs-floor', '--floor', 'koa', '--scenarios', 'checkout,hot_add', '--help');
    expect(one.status).toBe(0);
  });

  it('when a floor does not exist or is named twice, then it refuses with exit 2 before measuring', () => {
    const unknown = bench('--vs-floor', '--floor', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--floor must be one or more of bare, koa, koa-deployed (comma separated)');
    const oneUnknown = bench('--vs-floor', '--floor', 'bare,nope');
    expect(oneUnknown.status).toBe(2);
    expect(oneUnknown.stderr).toContain('--floor must be one or more of');
    const twice = bench('--vs-floor', '--floor', 'koa,bare,koa');
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('--floor names a floor twice');
  });
});

/*
 * What the report compares: the API with each floor, judged by the issue's
 * targets only against the bare floor, and each stack floor with the bare one.
 */
describe('bench comparisons', () => {
  const comparisonsOf = (floors: string[]) => {
    const script = `
      import { comparisons } from './runs.mjs';
      const side = (reqPerSec, cpuMsPerRequest, p99) => ({ reqPerSec, cpuMsPerRequest, p99 });
      const means = { api: side(5000, 0.18, 16), bare: side(10000, 0.08, 12), koa: side(9000, 0.1, 14), 'koa-deployed': side(7500, 0.12, 30) };
      process.stdout.write(JSON.stringify(comparisons('get_cart', means, ${JSON.stringify(floors)})));`;
    const { status, stdout, stderr } = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: __dirname,
      encoding: 'utf8',
    });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    return JSON.parse(stdout) as Array<Record<string, unknown>>;
  };

  it('when the bare and the koa floors ran, then the API is judged against bare only, and each koa floor is set against bare', () => {
    const pairs = comparisonsOf(['bare', 'koa', 'koa-deployed']);
    expect(pairs.map(({ subject, floor }) => `${subject}/${floor}`)).toEqual([
      'api/bare',
      'api/koa',
      'api/koa-deployed',
      'koa/bare',
      'koa-deployed/bare',
    ]);
    const [apiBare, apiKoa, , , deployedBare] = pairs;
    expect(apiBare).toMatchObject({ cpuTarget: 1.5, cpuPass: false, reqTarget: 0.6, reqPass: false, p99Pass: true });
    expect(apiBare.cpuRatio).toBeCloseTo(2.25);
    // JSON leaves out what is undefined: no target, no verdict.
    for (const key of ['cpuTarget', 'cpuPass', 'reqPass', 'p99Pass']) expect(apiKoa).not.toHaveProperty(key);
    expect(deployedBare.cpuRatio).toBeCloseTo(1.5);
    expect(deployedBare.p99Ratio).toBeCloseTo(2.5);
    expect(deployedBare).not.toHaveProperty('p99Pass');
  });

  it('when only a koa floor ran, then there is no judgement and no stack comparison', () => {
    const pairs = comparisonsOf(['koa-deployed']);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ subject: 'api', floor: 'koa-deployed' });
    expect(pairs[0]).not.toHaveProperty('cpuPass');
    expect(pairs[0]).not.toHaveProperty('p99Pass');
  });
});
