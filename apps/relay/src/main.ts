import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { startRelay } from './relay';

const EXIT = { failed: 1, misconfigured: 2 } as const;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'carthub-relay' } });
  const relay = await startRelay(config, logger);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    relay.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(EXIT.failed);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT.misconfigured);
  }
  process.stderr.write(`carthub-relay failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(EXIT.failed);
});
