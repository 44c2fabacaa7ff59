import pino from 'pino';
import { runService } from '@carthub/util';
import { loadConfig } from './config';
import { startServer } from './server';

runService('carthub-api', async () => {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'carthub-api' } });
  const server = await startServer(config, logger);
  return { logger, service: { stop: () => server.shutdown() } };
});
