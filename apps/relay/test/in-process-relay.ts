import pino from 'pino';
import { loadConfig } from '../src/config';
import { RunningRelay, startRelay } from '../src/relay';

const logger = pino({ level: 'silent' });

/** Relays of one test in this process, on any free port, with the settings they share; all stopped at its end. */
export function inProcessRelays(sharedEnv: () => Record<string, string>) {
  const running: RunningRelay[] = [];
  return {
    async start(env: Record<string, string> = {}): Promise<RunningRelay> {
      const relay = await startRelay(
        loadConfig({ RELAY_HOST: '127.0.0.1', RELAY_PORT: '0', RELAY_RETRY_MAX_MS: '500', ...sharedEnv(), ...env }),
        logger,
      );
      running.push(relay);
      return relay;
    },
    async stopAll(): Promise<void> {
      await Promise.all(running.splice(0).map((relay) => relay.stop()));
    },
  };
}
