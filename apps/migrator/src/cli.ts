import { parseArgs } from 'node:util';
import { DEFAULT_CURRENCY } from '@carthub/domain';
import Joi from 'joi';
import { CartTtls } from '@carthub/domain';
import {
  DATABASE_SOURCES,
  databaseEnvFrom,
  databaseEnvKeys,
  cartTtlEnvKeys,
  cartTtlsFrom,
  DEFAULT_OUTBOX_RETENTION_HOURS,
  DEFAULT_ORDER_PAYMENT_TTL_SECONDS,
  resolveDatabaseUrl,
} from '@carthub/persistence';
import { ConfigError, envPositive, validateEnv } from '@carthub/util';
import { COMMANDS, EXIT, Log } from './commands';

export { EXIT } from './commands';

const USAGE = [
  'usage: migrator [command]',
  ...Object.values(COMMANDS).map(({ usage, help }) => `  ${usage.padEnd(20)} ${help}`),
].join('\n');

const schema = Joi.object({
  ...databaseEnvKeys,
  OUTBOX_RETENTION_HOURS: envPositive()
    .max(24 * 366)
    .default(DEFAULT_OUTBOX_RETENTION_HOURS),
  ...cartTtlEnvKeys,
  ORDER_PAYMENT_TTL_SECONDS: envPositive().default(DEFAULT_ORDER_PAYMENT_TTL_SECONDS),
  // The API's CURRENCY (same ConfigMap): what orders stored without one carry in their order.expired events.
  CURRENCY: Joi.string().uppercase().length(3).default(DEFAULT_CURRENCY),
})
  .oxor(...DATABASE_SOURCES)
  .unknown(true);

/**
 * The migrator's whole behaviour, for `main.ts` and for tests: run the command,
 * write progress to `log` (stderr), and answer the process exit code.
 */
export async function runMigrator(args: string[], env: NodeJS.ProcessEnv, log: Log): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { to: { type: 'string' }, dir: { type: 'string' } } });
  } catch (error) {
    log(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const [name = 'up', argument, ...extra] = parsed.positionals;
  const command = COMMANDS[name];
  if (!command || extra.length > 0 || (name === 'create') !== (argument !== undefined)) {
    log(USAGE);
    return EXIT.usage;
  }
  let url: string | undefined;
  let outboxRetentionHours: number;
  let cartTtls: CartTtls;
  let orderPaymentTtlSeconds: number;
  let currency: string;
  try {
    const value = validateEnv(schema, env);
    outboxRetentionHours = value.OUTBOX_RETENTION_HOURS;
    cartTtls = cartTtlsFrom(value);
    orderPaymentTtlSeconds = value.ORDER_PAYMENT_TTL_SECONDS;
    currency = value.CURRENCY;
    url = await resolveDatabaseUrl(databaseEnvFrom(value));
  } catch (error) {
    log(
      error instanceof ConfigError ? error.message : `could not read the database secret: ${(error as Error).message}`,
    );
    return EXIT.usage;
  }
  if (!url) {
    log(
      'No database configured: set DATABASE_URL, DB_SECRET_ARN, or DB_HOST with DB_PORT, DB_NAME, DB_USERNAME and DB_PASSWORD',
    );
    return EXIT.usage;
  }
  try {
    const settings = { url, applicationName: 'carthub-migrator', statementTimeoutMs: 600_000 };
    return await command.run(
      settings,
      { ...parsed.values, name: argument, outboxRetentionHours, cartTtls, orderPaymentTtlSeconds, currency },
      log,
    );
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}
