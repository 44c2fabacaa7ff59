import { AppProcess, startBuiltApp } from '@carthub/persistence/testing';

export type RelayProcess = AppProcess;

/** The built relay as a real process, as `npm run relay` and the container run it. */
export function startRelayProcess(env: Record<string, string>): Promise<RelayProcess> {
  return startBuiltApp('relay', { host: 'RELAY_HOST', port: 'RELAY_PORT' }, env);
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

export const roleOf = async (relay: RelayProcess) => (await health(relay.url)).body.role;

/** The relay processes of one test, with the settings they share; all SIGKILLed at its end. */
export function relayFleet(sharedEnv: () => Record<string, string>) {
  const running: RelayProcess[] = [];
  return {
    async start(env: Record<string, string> = {}): Promise<RelayProcess> {
      const relay = await startRelayProcess({ ...sharedEnv(), ...env });
      running.push(relay);
      return relay;
    },
    async killAll(): Promise<void> {
      for (const relay of running.splice(0)) {
        relay.child.kill('SIGKILL');
        await relay.exit;
      }
    },
  };
}
