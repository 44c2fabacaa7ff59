import pino from 'pino';
import { runService } from '@carthub/util';
import { loadConfig } from './config';
import { startServer } from './server';

/** Lines wait for this many bytes (or the next tick of the timer below) and go out in one write. */
const LOG_BATCH_BYTES = 4096;
const LOG_FLUSH_INTERVAL_MS = 1000;

runService('carthub-api', async () => {
  const config = loadConfig(process.env);
  // A write per line cost a system call per request; batched, lines are at most a second late. pino flushes them at exit.
  const destination = pino.destination({ sync: false, minLength: LOG_BATCH_BYTES });
  const flushing = setInterval(() => destination.flush(), LOG_FLUSH_INTERVAL_MS).unref();
  destination.once('close', () => clearInterval(flushing));
  const logger = pino({ level: config.logLevel, base: { service: 'carthub-api' } }, destination);
  const server = await startServer(config, logger);
  return { logger, service: { stop: () => server.shutdown() } };
});
