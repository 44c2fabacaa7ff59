import Joi from 'joi';
import { DATABASE_SOURCES, DatabaseEnv, databaseEnvFrom, databaseEnvKeys, validateEnv } from '@carthub/persistence';

export { ConfigError } from '@carthub/persistence';

export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  readonly database: DatabaseEnv;
  readonly embedded: { readonly dataDir: string; readonly port: number };
  readonly limits: { readonly maxQuantityPerItem: number; readonly maxItems: number };
  readonly bodyLimitBytes: number;
  readonly healthTimeoutMs: number;
  readonly shutdownGraceMs: number;
}

const port = () => Joi.number().integer().min(0).max(65535);
const positive = () => Joi.number().integer().min(1);

const schema = Joi.object({
  ...databaseEnvKeys,
  HOST: Joi.string().default('0.0.0.0'),
  PORT: port().default(8000),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  EMBEDDED_PG_DIR: Joi.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: port().default(54329),
  CART_MAX_QUANTITY_PER_ITEM: positive().default(99),
  CART_MAX_ITEMS: positive().default(100),
  BODY_LIMIT_BYTES: positive().default(16 * 1024),
  HEALTH_TIMEOUT_MS: positive().max(2_000).default(1_500),
  SHUTDOWN_GRACE_MS: Joi.number().integer().min(0).default(10_000),
})
  .oxor(...DATABASE_SOURCES)
  .unknown(true);

/** Reads and checks the environment once; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv): ApiConfig {
  const value = validateEnv(schema, env);
  return {
    host: value.HOST,
    port: value.PORT,
    logLevel: value.LOG_LEVEL,
    database: databaseEnvFrom(value),
    embedded: { dataDir: value.EMBEDDED_PG_DIR, port: value.EMBEDDED_PG_PORT },
    limits: { maxQuantityPerItem: value.CART_MAX_QUANTITY_PER_ITEM, maxItems: value.CART_MAX_ITEMS },
    bodyLimitBytes: value.BODY_LIMIT_BYTES,
    healthTimeoutMs: value.HEALTH_TIMEOUT_MS,
    shutdownGraceMs: value.SHUTDOWN_GRACE_MS,
  };
}
