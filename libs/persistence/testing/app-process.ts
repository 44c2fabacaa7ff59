import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { findFreePort } from '../dev/free-port';

export interface AppProcess {
  readonly child: ChildProcess;
  /** Where it listens (on 127.0.0.1, at a port that was free). */
  readonly url: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export interface ListenVariables {
  /** The variables that set where it listens, e.g. HOST and PORT. */
  readonly host: string;
  readonly port: string;
}

/**
 * A built app (`dist/apps/<app>/main.js`) as a real process, as its npm script
 * and the container run it: only PATH of the test's environment, warnings-only
 * logs, stderr kept for the test to read.
 */
export async function startBuiltApp(
  app: string,
  listen: ListenVariables,
  env: Record<string, string>,
): Promise<AppProcess> {
  const port = await findFreePort();
  const main = resolve(__dirname, '../../../dist/apps', app, 'main.js');
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env['PATH'],
      LOG_LEVEL: 'warn',
      [listen.host]: '127.0.0.1',
      [listen.port]: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<Awaited<AppProcess['exit']>>((done) =>
    child.on('exit', (code, signal) => done({ code, signal, stderr })),
  );
  return { child, url: `http://127.0.0.1:${port}`, exit };
}

/** Polls `<url>/health` until it answers 200 (up to 30 s), and answers its body. */
export async function waitForHealth(url: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const response = await fetch(`${url}/health`).catch(() => undefined);
    if (response?.status === 200) return (await response.json()) as Record<string, unknown>;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} never became healthy`);
}
