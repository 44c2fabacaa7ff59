import pino from 'pino';
import { runService } from '@carthub/util';
import { loadConfig } from './config';
import { startRelay } from './relay';

runService('carthub-relay', async () => {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'carthub-relay' } });
  return { logger, service: await startRelay(config, logger) };
});
