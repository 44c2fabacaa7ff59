import { Logger } from '@carthub/http';
import { loadConfig } from '../src/config';
import { RunningServer, startServer } from '../src/server';

export const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The API in this process, as `main` starts it, on a free loopback port: the
 * settings given beside the database's URL, every other one at its default.
 */
export function startLocalServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  logger: Logger = silentLogger,
): Promise<RunningServer> {
  return startServer(loadConfig({ DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', ...env }), logger);
}
