import Joi from 'joi';

export interface DatabaseConfig {
  /** Where to connect; undefined means "run the embedded PostgreSQL". */
  readonly url?: string;
  readonly poolMax: number;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
}

export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  readonly database: DatabaseConfig;
  readonly embedded: { readonly dataDir: string; readonly port: number };
  readonly limits: { readonly maxQuantityPerItem: number; readonly maxItems: number };
  readonly bodyLimitBytes: number;
  readonly healthTimeoutMs: number;
  readonly shutdownGraceMs: number;
}

const port = () => Joi.number().integer().min(0).max(65535);
const positive = () => Joi.number().integer().min(1);

const schema = Joi.object({
  HOST: Joi.string().default('0.0.0.0'),
  PORT: port().default(8000),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }),
  DB_HOST: Joi.string(),
  DB_PORT: port().default(5432),
  DB_NAME: Joi.string().default('carthub'),
  DB_USERNAME: Joi.string().default('postgres'),
  DB_PASSWORD: Joi.string().allow('').default(''),
  DB_POOL_MAX: positive().max(200).default(10),
  DB_CONNECT_TIMEOUT_MS: positive().default(1_500),
  DB_STATEMENT_TIMEOUT_MS: positive().default(5_000),
  EMBEDDED_PG_DIR: Joi.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: port().default(54329),
  CART_MAX_QUANTITY_PER_ITEM: positive().default(99),
  CART_MAX_ITEMS: positive().default(100),
  BODY_LIMIT_BYTES: positive().default(16 * 1024),
  HEALTH_TIMEOUT_MS: positive().max(2_000).default(1_500),
  SHUTDOWN_GRACE_MS: Joi.number().integer().min(0).default(10_000),
})
  .oxor('DATABASE_URL', 'DB_HOST')
  .unknown(true);

export class ConfigError extends Error {}

/** Reads and checks the environment once; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv): ApiConfig {
  const { error, value } = schema.validate(env, { abortEarly: false, convert: true, errors: { wrap: { label: '' } } });
  if (error) {
    throw new ConfigError(`Invalid configuration: ${error.details.map((detail) => detail.message).join('; ')}`);
  }
  return {
    host: value.HOST,
    port: value.PORT,
    logLevel: value.LOG_LEVEL,
    database: {
      url: value.DATABASE_URL ?? (value.DB_HOST ? urlFromParts(value) : undefined),
      poolMax: value.DB_POOL_MAX,
      connectTimeoutMs: value.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: value.DB_STATEMENT_TIMEOUT_MS,
    },
    embedded: { dataDir: value.EMBEDDED_PG_DIR, port: value.EMBEDDED_PG_PORT },
    limits: { maxQuantityPerItem: value.CART_MAX_QUANTITY_PER_ITEM, maxItems: value.CART_MAX_ITEMS },
    bodyLimitBytes: value.BODY_LIMIT_BYTES,
    healthTimeoutMs: value.HEALTH_TIMEOUT_MS,
    shutdownGraceMs: value.SHUTDOWN_GRACE_MS,
  };
}

function urlFromParts(value: Record<string, string | number>): string {
  const url = new URL('postgres://localhost');
  url.hostname = String(value['DB_HOST']);
  url.port = String(value['DB_PORT']);
  url.pathname = `/${value['DB_NAME']}`;
  url.username = String(value['DB_USERNAME']);
  url.password = String(value['DB_PASSWORD']);
  return url.toString();
}
