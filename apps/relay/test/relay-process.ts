import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { findFreePort } from '@carthub/persistence/testing';

const MAIN = resolve(__dirname, '../../../dist/apps/relay/main.js');

export interface RelayProcess {
  readonly child: ChildProcess;
  /** Where /health and /metrics answer. */
  readonly url: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** The built relay as a real process, as `npm run relay` and the container run it. */
export async function startRelayProcess(env: Record<string, string>): Promise<RelayProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'], LOG_LEVEL: 'warn', RELAY_HOST: '127.0.0.1', RELAY_PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal, stderr })),
  );
  return { child, url: `http://127.0.0.1:${port}`, exit };
}

export interface Health {
  readonly status: number;
  readonly body: { role?: string; database?: boolean; nats?: boolean };
}

export async function health(url: string): Promise<Health> {
  const response = await fetch(`${url}/health`).catch(() => undefined);
  if (!response) return { status: 0, body: {} };
  return { status: response.status, body: (await response.json()) as Health['body'] };
}

/** Polls until `accept` holds, up to `attempts` × 100 ms; answers the last value either way. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, attempts = 300): Promise<T> {
  let value = await read();
  for (let attempt = 1; attempt < attempts && !accept(value); attempt++) {
    await new Promise((done) => setTimeout(done, 100));
    value = await read();
  }
  return value;
}

/** The value of one metric on /metrics. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}
