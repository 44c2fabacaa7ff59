import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { findFreePort } from '@carthub/persistence/testing';

const MAIN = resolve(__dirname, '../../../dist/apps/api/main.js');

export interface Started {
  child: ChildProcess;
  url: string;
  exit: Promise<{ code: number | null; stderr: string }>;
}

/** The built API as a real process, as `npm start` and the container run it. */
export async function startApi(env: Record<string, string>): Promise<Started> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'], LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; stderr: string }>((done) =>
    child.on('exit', (code) => done({ code, stderr })),
  );
  return { child, url: `http://127.0.0.1:${port}`, exit };
}

export async function waitForHealth(url: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const response = await fetch(`${url}/health`).catch(() => undefined);
    if (response?.status === 200) return (await response.json()) as Record<string, unknown>;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('the API never became healthy');
}
