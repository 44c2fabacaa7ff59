import { ConfigError } from './env';

export const EXIT = { ok: 0, failed: 1, misconfigured: 2 } as const;

export interface ServiceLogger {
  info(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export interface RunningService {
  /** Finishes what is in flight and releases what the service holds. */
  stop(): Promise<void>;
}

/**
 * Runs a long-lived process: start it, and on SIGTERM or SIGINT stop it once
 * and exit 0 (1 if stopping failed). A ConfigError at start exits 2 with its
 * message alone; any other start failure exits 1.
 */
export function runService<L extends ServiceLogger>(
  name: string,
  start: () => Promise<{ readonly logger: L; readonly service: RunningService }>,
): void {
  const started = start().then(({ logger, service }) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      service.stop().then(
        () => process.exit(EXIT.ok),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(EXIT.failed);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    logger.info({ pid: process.pid }, 'running');
  });
  started.catch((error) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT.misconfigured);
    }
    process.stderr.write(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.failed);
  });
}
