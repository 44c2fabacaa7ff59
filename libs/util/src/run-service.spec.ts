import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const bundle = join(mkdtempSync(join(tmpdir(), 'run-service-')), 'service.js');
buildSync({
  entryPoints: [join(__dirname, '../test/service-fixture.ts')],
  bundle: true,
  platform: 'node',
  outfile: bundle,
});

/** Runs the fixture service as its own process; with `signal`, sends it once the service says it is running. */
function run(mode: string, signal?: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle], { env: { ...process.env, MODE: mode } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (signal && stdout.includes('running')) child.kill(signal);
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('runService', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'when %s arrives, then the service stops once and the process exits 0',
    async (signal) => {
      const result = await run('ok', signal);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`"signal":"${signal}"`);
      expect(result.stdout.match(/stopped/g)).toHaveLength(1);
    },
  );

  it('when stopping fails, then the process exits 1 and says so', async () => {
    const result = await run('stop-fails', 'SIGTERM');
    expect([result.code, result.stdout.includes('error')]).toEqual([1, true]);
  });

  it('when the configuration is invalid, then exit 2 with the message alone', async () => {
    const result = await run('misconfigured');
    expect([result.code, result.stderr]).toEqual([2, 'Invalid configuration: PORT must be a number\n']);
  });

  it('when start-up fails otherwise, then exit 1 naming the service', async () => {
    const result = await run('broken');
    expect([result.code, result.stderr]).toEqual([1, 'fixture failed to start: no database\n']);
  });
});
