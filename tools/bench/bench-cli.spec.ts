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
    for (const option of ['--vs-floor', '--floor <name>', '--rounds', '--scenarios', '--cpu-prof', '--catalog']) {
      expect(stdout).toContain(option);
    }
  });

  it('when a floor serves fewer scenarios than asked for, or does not exist, then it refuses with exit 2 before measuring', () => {
    const unserved = bench('--vs-floor', '--floor', 'koa', '--scenarios', 'get_cart,mixed');
    expect(unserved.status).toBe(2);
    expect(unserved.stderr).toContain('the koa floor serves get_cart only, not mixed');
    const unknown = bench('--vs-floor', '--floor', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--floor must be one of bare, koa, koa-deployed');
  });
});
