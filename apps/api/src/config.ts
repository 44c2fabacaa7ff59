import Joi from 'joi';
import { catalogAnswerCap } from '@carthub/catalog';
import { CartTtls, DEFAULT_CURRENCY, MAX_UNITS_PER_ORDER, PricingRules } from '@carthub/domain';
import {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_GUEST_TOKEN_TTL_SECONDS,
  DEFAULT_MAX_TOKEN_AGE_SECONDS,
  HttpSettings,
  MIN_PAYMENT_WEBHOOK_SECRET_BYTES,
  largestEventBytes,
  linesThatFit,
} from '@carthub/http';
import {
  cartTtlEnvKeys,
  cartTtlsFrom,
  DATABASE_SOURCES,
  DatabaseEnv,
  databaseEnvFrom,
  databaseEnvKeys,
  ReadReplicaEnv,
  readReplicaEnvFrom,
  readReplicaEnvKeys,
} from '@carthub/persistence';
import { envPort, envPositive, validateEnv } from '@carthub/util';
import { loadPricingRules } from './pricing-rules';

export { ConfigError } from '@carthub/util';

export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  /** Port of the Prometheus listener (GET /metrics); unset: none. */
  readonly metricsPort?: number;
  readonly logLevel: string;
  readonly database: DatabaseEnv;
  /** Streaming standbys for order reads (DB_READ_REPLICA_URLS); none: everything on the primary. */
  readonly readReplicas: ReadReplicaEnv;
  readonly embedded: { readonly dataDir: string; readonly port: number };
  readonly limits: { readonly maxQuantityPerItem: number; readonly maxItems: number };
  /** How long carts live after their last change (CART_TTL_SECONDS, CART_GUEST_TTL_SECONDS). */
  readonly cartTtls: CartTtls;
  readonly http: HttpSettings;
  /** Shared store for rate-limit counters. */
  readonly redisUrl?: string;
  readonly healthTimeoutMs: number;
  readonly shutdownGraceMs: number;
  /** What one customer may create; see README "Limits and quotas". */
  readonly quotas: { readonly ordersPerMinute: number; readonly liveIdempotencyKeys: number };
  readonly connections: ConnectionSettings;
  /** Tax and shipping (none: both 0). */
  readonly pricingRules: PricingRules;
  /** Present in catalog mode: where names and prices come from. */
  readonly catalog?: CatalogSettings;
  /** STOCK_TRACKING=on: carts check and checkout reserves the stock of tracked products. */
  readonly stockTracking: boolean;
}

export interface CatalogSettings {
  readonly url: string;
  readonly timeoutMs: number;
  readonly cacheTtlMs: number;
  readonly breakerFailures: number;
  readonly breakerResetMs: number;
  readonly maxResponseBytes: number;
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
  /** Connections one peer address may hold; past this its new ones are closed as they arrive. */
  readonly maxConnectionsPerAddress: number;
}

/** NATS's default max_payload: the largest message a server takes unless configured otherwise. */
export const DEFAULT_EVENT_MAX_BYTES = 1024 * 1024;
/** The most a NATS server's max_payload may be raised to. */
const MOST_EVENT_MAX_BYTES = 64 * 1024 * 1024;

interface CartLimitsEnv {
  readonly CART_MAX_ITEMS: number;
  readonly CART_MAX_QUANTITY_PER_ITEM: number;
  readonly EVENT_MAX_BYTES: number;
}

/**
 * Every order's events must fit the broker's messages: one it refuses is
 * parked by the relay, and its order's later events wait behind it. Checked
 * against the widest order the limits allow, so no valid request can make one.
 */
function eventsFitTheBroker(env: CartLimitsEnv, helpers: Joi.CustomHelpers) {
  const limits = { maxItems: env.CART_MAX_ITEMS, maxQuantityPerItem: env.CART_MAX_QUANTITY_PER_ITEM };
  const bytes = largestEventBytes(limits);
  if (bytes <= env.EVENT_MAX_BYTES) return env;
  return helpers.error('events.tooLarge', {
    items: env.CART_MAX_ITEMS,
    bytes,
    limit: env.EVENT_MAX_BYTES,
    fits: linesThatFit(env.EVENT_MAX_BYTES, limits),
  });
}

function hasTwoDecimals(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code) || !Intl.supportedValuesOf('currency').includes(code)) return false;
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits === 2
  );
}

const schema = Joi.object({
  ...databaseEnvKeys,
  ...readReplicaEnvKeys,
  HOST: Joi.string().default('0.0.0.0'),
  PORT: envPort().default(8000),
  METRICS_PORT: envPort().empty(''),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  EMBEDDED_PG_DIR: Joi.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: envPort().default(54329),
  CART_MAX_QUANTITY_PER_ITEM: envPositive().max(MAX_UNITS_PER_ORDER).default(99),
  CART_MAX_ITEMS: envPositive().max(MAX_UNITS_PER_ORDER).default(100),
  EVENT_MAX_BYTES: envPositive()
    .min(64 * 1024)
    .max(MOST_EVENT_MAX_BYTES)
    .default(DEFAULT_EVENT_MAX_BYTES),
  BODY_LIMIT_BYTES: envPositive()
    .max(1024 * 1024)
    .default(16 * 1024),
  CORS_ORIGINS: Joi.string().allow('').default(''),
  TRUST_PROXY: Joi.boolean().truthy('1').falsy('0').default(false),
  TRUST_PROXY_HOPS: Joi.number().integer().min(1).max(10).default(1),
  RATE_LIMIT_MAX: Joi.number().integer().min(0).max(1_000_000_000).default(1_000_000),
  RATE_LIMIT_WINDOW_MS: Joi.number().integer().min(1_000).max(86_400_000).default(60_000),
  CHECKOUT_MAX_PER_MINUTE: envPositive().max(10_000).default(30),
  IDEMPOTENCY_MAX_KEYS_PER_CUSTOMER: envPositive().max(1_000_000).default(1_000),
  // Per client address, whatever customer ids it acts for (guest ids cost nothing to mint); 0 turns one off.
  GUEST_SESSIONS_MAX_PER_ADDRESS_PER_HOUR: Joi.number().integer().min(0).max(1_000_000).default(100),
  CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE: Joi.number().integer().min(0).max(1_000_000).default(60),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),
  PRICE_SOURCE: Joi.string().valid('client', 'catalog').default('client'),
  STOCK_TRACKING: Joi.string().valid('on', 'off').default('off'),
  CATALOG_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .when('PRICE_SOURCE', { is: 'catalog', then: Joi.required() }),
  CATALOG_TIMEOUT_MS: envPositive().max(10_000).default(300),
  CATALOG_CACHE_TTL_MS: Joi.number().integer().min(0).max(3_600_000).default(30_000),
  CATALOG_BREAKER_FAILURES: envPositive().max(1_000).default(5),
  CATALOG_BREAKER_RESET_MS: envPositive().max(600_000).default(5_000),
  // Unset: derived from CART_MAX_ITEMS, the most products one lookup asks for.
  CATALOG_MAX_RESPONSE_BYTES: Joi.number()
    .integer()
    .min(1_024)
    .max(256 * 1024 * 1024),
  PRICING_RULES_FILE: Joi.string(),
  // Money is kept in cents: only currencies with two minor digits fit.
  CURRENCY: Joi.string()
    .uppercase()
    .custom((code: string, helpers) => (hasTwoDecimals(code) ? code : helpers.error('currency.decimals')))
    .messages({ 'currency.decimals': '{#label} must be an ISO 4217 currency with two decimals (USD, EUR, …)' })
    .default(DEFAULT_CURRENCY),
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
  // Counted in bytes, not characters: it keys an HMAC-SHA256, whose strength is in bytes.
  PAYMENT_WEBHOOK_SECRET: Joi.string()
    .custom((secret: string, helpers) =>
      Buffer.byteLength(secret, 'utf8') >= MIN_PAYMENT_WEBHOOK_SECRET_BYTES ? secret : helpers.error('secret.short'),
    )
    .messages({ 'secret.short': `{#label} must be at least ${MIN_PAYMENT_WEBHOOK_SECRET_BYTES} bytes` }),
  AUTH_CLOCK_TOLERANCE_SECONDS: Joi.number().integer().min(0).max(300).default(DEFAULT_CLOCK_TOLERANCE_SECONDS),
  HEALTH_TIMEOUT_MS: envPositive().max(2_000).default(1_500),
  SHUTDOWN_GRACE_MS: Joi.number().integer().min(0).max(600_000).default(10_000),
  HTTP_HEADERS_TIMEOUT_MS: Joi.number().integer().min(1_000).max(60_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: Joi.number().integer().min(Joi.ref('HTTP_HEADERS_TIMEOUT_MS')).max(300_000).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: Joi.number().integer().min(1_000).max(120_000).default(5_000),
  HTTP_MAX_CONNECTIONS: envPositive().max(100_000).default(2_000),
  HTTP_MAX_CONNECTIONS_PER_ADDRESS: envPositive().max(100_000).default(256),
  ...cartTtlEnvKeys,
})
  .custom((env: { CART_MAX_ITEMS: number; CART_MAX_QUANTITY_PER_ITEM: number }, helpers) =>
    env.CART_MAX_ITEMS * env.CART_MAX_QUANTITY_PER_ITEM > MAX_UNITS_PER_ORDER ? helpers.error('cart.tooLarge') : env,
  )
  .custom(eventsFitTheBroker)
  .messages({
    'cart.tooLarge': `CART_MAX_ITEMS × CART_MAX_QUANTITY_PER_ITEM must be at most ${MAX_UNITS_PER_ORDER}, so that every order total stays exact`,
    'events.tooLarge':
      'CART_MAX_ITEMS ({#items}) allows an order event of {#bytes} bytes, more than EVENT_MAX_BYTES ({#limit}), ' +
      "the largest message the broker takes: set CART_MAX_ITEMS to at most {#fits} lines, or raise the broker's " +
      'max_payload and EVENT_MAX_BYTES with it',
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
    readReplicas: readReplicaEnvFrom(value),
    embedded: { dataDir: value.EMBEDDED_PG_DIR, port: value.EMBEDDED_PG_PORT },
    limits: { maxQuantityPerItem: value.CART_MAX_QUANTITY_PER_ITEM, maxItems: value.CART_MAX_ITEMS },
    cartTtls: cartTtlsFrom(value),
    stockTracking: value.STOCK_TRACKING === 'on',
    http: {
      bodyLimitBytes: value.BODY_LIMIT_BYTES,
      corsOrigins: value.CORS_ORIGINS.split(',')
        .map((origin: string) => origin.trim())
        .filter(Boolean),
      trustProxy: value.TRUST_PROXY,
      trustedProxyHops: value.TRUST_PROXY_HOPS,
      currency: value.CURRENCY,
      prices: value.PRICE_SOURCE,
      rateLimit: { max: value.RATE_LIMIT_MAX, windowMs: value.RATE_LIMIT_WINDOW_MS },
      addressQuotas: {
        guestSessions: { max: value.GUEST_SESSIONS_MAX_PER_ADDRESS_PER_HOUR, windowMs: 3_600_000 },
        checkouts: { max: value.CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE, windowMs: 60_000 },
      },
      guests: { tokenSecret: value.GUEST_TOKEN_SECRET, tokenTtlSeconds: value.GUEST_TOKEN_TTL_SECONDS },
      paymentWebhookSecret: value.PAYMENT_WEBHOOK_SECRET,
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
    pricingRules: loadPricingRules(value.PRICING_RULES_FILE),
    catalog:
      value.PRICE_SOURCE === 'catalog'
        ? {
            url: value.CATALOG_URL,
            timeoutMs: value.CATALOG_TIMEOUT_MS,
            cacheTtlMs: value.CATALOG_CACHE_TTL_MS,
            breakerFailures: value.CATALOG_BREAKER_FAILURES,
            breakerResetMs: value.CATALOG_BREAKER_RESET_MS,
            maxResponseBytes: value.CATALOG_MAX_RESPONSE_BYTES ?? catalogAnswerCap(value.CART_MAX_ITEMS),
          }
        : undefined,
    connections: {
      headersTimeoutMs: value.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: value.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: value.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: value.HTTP_MAX_CONNECTIONS,
      maxConnectionsPerAddress: value.HTTP_MAX_CONNECTIONS_PER_ADDRESS,
    },
  };
}
