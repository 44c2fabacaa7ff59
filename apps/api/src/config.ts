import Joi from 'joi';
import { HttpSettings } from '@carthub/http';
import {
  DATABASE_SOURCES,
  DatabaseEnv,
  databaseEnvFrom,
  databaseEnvKeys,
  envPort,
  envPositive,
  validateEnv,
} from '@carthub/persistence';

export { ConfigError } from '@carthub/persistence';

export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  readonly database: DatabaseEnv;
  readonly embedded: { readonly dataDir: string; readonly port: number };
  readonly limits: { readonly maxQuantityPerItem: number; readonly maxItems: number };
  readonly http: HttpSettings;
  /** Shared store for rate-limit counters. */
  readonly redisUrl?: string;
  readonly healthTimeoutMs: number;
  readonly shutdownGraceMs: number;
}

const schema = Joi.object({
  ...databaseEnvKeys,
  HOST: Joi.string().default('0.0.0.0'),
  PORT: envPort().default(8000),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  EMBEDDED_PG_DIR: Joi.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: envPort().default(54329),
  CART_MAX_QUANTITY_PER_ITEM: envPositive().default(99),
  CART_MAX_ITEMS: envPositive().default(100),
  BODY_LIMIT_BYTES: envPositive().default(16 * 1024),
  CORS_ORIGINS: Joi.string().allow('').default(''),
  TRUST_PROXY: Joi.boolean().truthy('1').falsy('0').default(false),
  TRUST_PROXY_HOPS: Joi.number().integer().min(1).max(10).default(1),
  RATE_LIMIT_MAX: Joi.number().integer().min(0).default(1_000_000),
  RATE_LIMIT_WINDOW_MS: Joi.number().integer().min(1_000).default(60_000),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),
  AUTH_JWT_SECRET: Joi.string().min(32),
  AUTH_JWKS_URL: Joi.string().uri({ scheme: ['https', 'http'] }),
  AUTH_ISSUER: Joi.string(),
  AUTH_AUDIENCE: Joi.string(),
  HEALTH_TIMEOUT_MS: envPositive().max(2_000).default(1_500),
  SHUTDOWN_GRACE_MS: Joi.number().integer().min(0).default(10_000),
})
  .oxor(...DATABASE_SOURCES)
  .oxor('AUTH_JWT_SECRET', 'AUTH_JWKS_URL')
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
    http: {
      bodyLimitBytes: value.BODY_LIMIT_BYTES,
      corsOrigins: value.CORS_ORIGINS.split(',')
        .map((origin: string) => origin.trim())
        .filter(Boolean),
      trustProxy: value.TRUST_PROXY,
      trustedProxyHops: value.TRUST_PROXY_HOPS,
      rateLimit: { max: value.RATE_LIMIT_MAX, windowMs: value.RATE_LIMIT_WINDOW_MS },
      auth: {
        jwtSecret: value.AUTH_JWT_SECRET,
        jwksUrl: value.AUTH_JWKS_URL,
        issuer: value.AUTH_ISSUER,
        audience: value.AUTH_AUDIENCE,
      },
    },
    redisUrl: value.REDIS_URL,
    healthTimeoutMs: value.HEALTH_TIMEOUT_MS,
    shutdownGraceMs: value.SHUTDOWN_GRACE_MS,
  };
}
