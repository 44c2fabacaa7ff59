import Joi from 'joi';
import {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_GUEST_TOKEN_TTL_SECONDS,
  DEFAULT_MAX_TOKEN_AGE_SECONDS,
  HttpSettings,
} from '@carthub/http';
import { DATABASE_SOURCES, DatabaseEnv, databaseEnvFrom, databaseEnvKeys } from '@carthub/persistence';
import { envPort, envPositive, validateEnv } from '@carthub/util';

export { ConfigError } from '@carthub/util';

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
  /** What one customer may create; see README "Limits and quotas". */
  readonly quotas: { readonly ordersPerMinute: number; readonly liveIdempotencyKeys: number };
}

/**
 * The largest order must stay exact: lines × quantity × the largest price
 * (99,999,999.99) within NUMERIC(14,2) (999,999,999,999.99), which is also far
 * below Number.MAX_SAFE_INTEGER in cents. 10,000 units per order allows the
 * designed 100 lines × 99.
 */
export const MAX_UNITS_PER_ORDER = 10_000;

const schema = Joi.object({
  ...databaseEnvKeys,
  HOST: Joi.string().default('0.0.0.0'),
  PORT: envPort().default(8000),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  EMBEDDED_PG_DIR: Joi.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: envPort().default(54329),
  CART_MAX_QUANTITY_PER_ITEM: envPositive().max(MAX_UNITS_PER_ORDER).default(99),
  CART_MAX_ITEMS: envPositive().max(MAX_UNITS_PER_ORDER).default(100),
  BODY_LIMIT_BYTES: envPositive()
    .max(1024 * 1024)
    .default(16 * 1024),
  CORS_ORIGINS: Joi.string().allow('').default(''),
  TRUST_PROXY: Joi.boolean().truthy('1').falsy('0').default(false),
  RATE_LIMIT_MAX: Joi.number().integer().min(0).max(1_000_000_000).default(1_000_000),
  RATE_LIMIT_WINDOW_MS: Joi.number().integer().min(1_000).max(86_400_000).default(60_000),
  CHECKOUT_MAX_PER_MINUTE: envPositive().max(10_000).default(30),
  IDEMPOTENCY_MAX_KEYS_PER_CUSTOMER: envPositive().max(1_000_000).default(1_000),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),
  AUTH_JWT_SECRET: Joi.string().min(32),
  AUTH_JWKS_URL: Joi.string().uri({ scheme: ['https', 'http'] }),
  AUTH_ISSUER: Joi.string(),
  AUTH_AUDIENCE: Joi.string(),
  AUTH_MAX_TOKEN_AGE_SECONDS: envPositive()
    .max(31 * 86_400)
    .default(DEFAULT_MAX_TOKEN_AGE_SECONDS),
  GUEST_TOKEN_SECRET: Joi.string()
    .min(32)
    .when('AUTH_JWT_SECRET', { is: Joi.exist(), then: Joi.required() })
    .when('AUTH_JWKS_URL', { is: Joi.exist(), then: Joi.required() }),
  GUEST_TOKEN_TTL_SECONDS: envPositive()
    .max(365 * 86_400)
    .default(DEFAULT_GUEST_TOKEN_TTL_SECONDS),
  AUTH_CLOCK_TOLERANCE_SECONDS: Joi.number().integer().min(0).max(300).default(DEFAULT_CLOCK_TOLERANCE_SECONDS),
  HEALTH_TIMEOUT_MS: envPositive().max(2_000).default(1_500),
  SHUTDOWN_GRACE_MS: Joi.number().integer().min(0).max(600_000).default(10_000),
})
  .custom((env: { CART_MAX_ITEMS: number; CART_MAX_QUANTITY_PER_ITEM: number }, helpers) =>
    env.CART_MAX_ITEMS * env.CART_MAX_QUANTITY_PER_ITEM > MAX_UNITS_PER_ORDER ? helpers.error('cart.tooLarge') : env,
  )
  .messages({
    'cart.tooLarge': `CART_MAX_ITEMS × CART_MAX_QUANTITY_PER_ITEM must be at most ${MAX_UNITS_PER_ORDER}, so that every order total stays exact`,
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
      rateLimit: { max: value.RATE_LIMIT_MAX, windowMs: value.RATE_LIMIT_WINDOW_MS },
      guests: { tokenSecret: value.GUEST_TOKEN_SECRET, tokenTtlSeconds: value.GUEST_TOKEN_TTL_SECONDS },
      auth: {
        jwtSecret: value.AUTH_JWT_SECRET,
        jwksUrl: value.AUTH_JWKS_URL,
        issuer: value.AUTH_ISSUER,
        audience: value.AUTH_AUDIENCE,
        maxTokenAgeSeconds: value.AUTH_MAX_TOKEN_AGE_SECONDS,
        clockToleranceSeconds: value.AUTH_CLOCK_TOLERANCE_SECONDS,
      },
    },
    redisUrl: value.REDIS_URL,
    healthTimeoutMs: value.HEALTH_TIMEOUT_MS,
    shutdownGraceMs: value.SHUTDOWN_GRACE_MS,
    quotas: {
      ordersPerMinute: value.CHECKOUT_MAX_PER_MINUTE,
      liveIdempotencyKeys: value.IDEMPOTENCY_MAX_KEYS_PER_CUSTOMER,
    },
  };
}
