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
  /** Port of the Prometheus listener (GET /metrics); unset: none. */
  readonly metricsPort?: number;
  readonly logLevel: string;
  readonly database: DatabaseEnv;
  readonly embedded: { readonly dataDir: string; readonly port: number };
  readonly limits: { readonly maxQuantityPerItem: number; readonly maxItems: number };
  readonly http: HttpSettings;
  /** Shared store for rate-limit counters. */
  readonly redisUrl?: string;
  readonly healthTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly connections: ConnectionSettings;
}

/** How long one connection may take, and how many may be open at once. */
export interface ConnectionSettings {
  /** From a request's first byte to the end of its headers. */
  readonly headersTimeoutMs: number;
  /** From a request's first byte to the end of its body. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Connections past this are closed as they arrive. */
  readonly maxConnections: number;
}

const schema = Joi.object({
  ...databaseEnvKeys,
  HOST: Joi.string().default('0.0.0.0'),
  PORT: envPort().default(8000),
  METRICS_PORT: envPort().empty(''),
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
  HTTP_HEADERS_TIMEOUT_MS: Joi.number().integer().min(1_000).max(60_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: Joi.number().integer().min(Joi.ref('HTTP_HEADERS_TIMEOUT_MS')).max(300_000).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: Joi.number().integer().min(1_000).max(120_000).default(5_000),
  HTTP_MAX_CONNECTIONS: envPositive().max(100_000).default(2_000),
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
    metricsPort: value.METRICS_PORT,
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
    connections: {
      headersTimeoutMs: value.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: value.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: value.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: value.HTTP_MAX_CONNECTIONS,
    },
  };
}
