import pino from 'pino';
import { runService } from '@carthub/util';
import { loadConfig } from './config';
import { startServer } from './server';

runService('carthub-api', async () => {
  const config = loadConfig(process.env);
  // Asynchronous writes: under load, lines queue behind the write in flight and go out together; pino flushes them at exit.
  const logger = pino({ level: config.logLevel, base: { service: 'carthub-api' } }, pino.destination({ sync: false }));
  const server = await startServer(config, logger);
  return { logger, service: { stop: () => server.shutdown() } };
});
