import { MAX_ORDER_SUBTOTAL_CENTS, MAX_ORDER_TOTAL_CENTS, MAX_UNIT_PRICE_CENTS } from '@carthub/domain';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('when nothing is set, then the documented defaults apply and the embedded database is chosen', () => {
    expect(loadConfig({})).toEqual({
      host: '0.0.0.0',
      port: 8000,
      metricsPort: undefined,
      logLevel: 'info',
      database: {
        url: undefined,
        poolMax: 10,
        connectTimeoutMs: 1500,
        statementTimeoutMs: 5000,
        tls: { mode: undefined, caFile: undefined },
      },
      readReplicas: { urls: [], checkIntervalMs: 5_000, maxWaitMs: 10 },
      embedded: { dataDir: '.data/postgres', port: 54329 },
      limits: { maxQuantityPerItem: 99, maxItems: 100 },
      cartTtls: { customerTtlSeconds: 2_592_000, guestTtlSeconds: 604_800 },
      http: {
        bodyLimitBytes: 16384,
        corsOrigins: [],
        trustProxy: false,
        trustedProxyHops: 1,
        currency: 'USD',
        prices: 'client',
        rateLimit: { max: 1_000_000, windowMs: 60_000 },
        addressQuotas: {
          guestSessions: { max: 100, windowMs: 3_600_000 },
          checkouts: { max: 60, windowMs: 60_000 },
        },
        guests: { tokenSecret: undefined, tokenTtlSeconds: 2_592_000 },
        auth: {
          jwtSecret: undefined,
          jwksUrl: undefined,
          issuer: undefined,
          audience: undefined,
          maxTokenAgeSeconds: 86_400,
          clockToleranceSeconds: 30,
        },
      },
      redisUrl: undefined,
      healthTimeoutMs: 1500,
      shutdownGraceMs: 10000,
      quotas: { ordersPerMinute: 30, liveIdempotencyKeys: 1000 },
      pricingRules: { tax: [] },
      catalog: undefined,
      stockTracking: false,
      connections: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 2_000,
        maxConnectionsPerAddress: 256,
      },
    });
  });

  it('when the security settings are given, then they are read', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: 'true',
      TRUST_PROXY_HOPS: '2',
      RATE_LIMIT_MAX: '50',
      REDIS_URL: 'redis://r:6379',
    });
    expect(config.http).toMatchObject({
      corsOrigins: ['https://a.example', 'https://b.example'],
      trustProxy: true,
      trustedProxyHops: 2,
      rateLimit: { max: 50, windowMs: 60_000 },
    });
    expect(config.redisUrl).toBe('redis://r:6379');
  });

  it('when catalog mode is asked for, then the catalog settings are read, with their defaults', () => {
    const config = loadConfig({ PRICE_SOURCE: 'catalog', CATALOG_URL: 'http://catalog:8010', CURRENCY: 'eur' });
    expect(config.catalog).toEqual({
      url: 'http://catalog:8010',
      timeoutMs: 300,
      cacheTtlMs: 30_000,
      breakerFailures: 5,
      breakerResetMs: 5_000,
      maxResponseBytes: 100 * 8 * 1024,
    });
    expect(config.http).toMatchObject({ prices: 'catalog', currency: 'EUR' });
  });

  it('when CATALOG_MAX_RESPONSE_BYTES is unset, then the answer cap follows CART_MAX_ITEMS; when set, it is used', () => {
    const catalog = { PRICE_SOURCE: 'catalog', CATALOG_URL: 'http://catalog:8010' };
    expect(loadConfig({ ...catalog, CART_MAX_ITEMS: '10' }).catalog?.maxResponseBytes).toBe(10 * 8 * 1024);
    expect(loadConfig({ ...catalog, CATALOG_MAX_RESPONSE_BYTES: '4096' }).catalog?.maxResponseBytes).toBe(4096);
  });

  it('when DATABASE_URL and the limits are given, then they are used', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@h/d',
      CART_MAX_ITEMS: '5',
      CART_MAX_QUANTITY_PER_ITEM: '3',
      PORT: '9000',
      METRICS_PORT: '9464',
    });
    expect(config).toMatchObject({
      port: 9000,
      metricsPort: 9464,
      database: { url: 'postgresql://u@h/d' },
      limits: { maxItems: 5, maxQuantityPerItem: 3 },
    });
  });

  it('when the limits are at their largest, then the largest order is within the bound the total column is sized by', () => {
    const { limits } = loadConfig({ CART_MAX_ITEMS: '100', CART_MAX_QUANTITY_PER_ITEM: '100' });
    const largestSubtotalCents = limits.maxItems * limits.maxQuantityPerItem * MAX_UNIT_PRICE_CENTS;
    expect(largestSubtotalCents).toBeLessThanOrEqual(MAX_ORDER_SUBTOTAL_CENTS);
    expect(MAX_ORDER_TOTAL_CENTS).toBeLessThanOrEqual(999_999_999_999_999); // NUMERIC(15,2) in cents
    const largest = { CART_MAX_ITEMS: '10000', CART_MAX_QUANTITY_PER_ITEM: '1', EVENT_MAX_BYTES: '67108864' };
    expect(loadConfig(largest).limits.maxItems).toBe(10_000);
  });

  it("when the limits allow an order whose event the broker would refuse, then start-up stops saying how many lines fit; with the broker's limit raised, it starts", () => {
    const quantity = { CART_MAX_QUANTITY_PER_ITEM: '10' };
    expect(() => loadConfig({ CART_MAX_ITEMS: '700', ...quantity })).toThrow(
      /CART_MAX_ITEMS \(700\) allows an order event of \d+ bytes, more than EVENT_MAX_BYTES \(1048576\).*at most 6\d\d lines/,
    );
    expect(loadConfig({ CART_MAX_ITEMS: '600', ...quantity }).limits.maxItems).toBe(600);
    expect(loadConfig({ CART_MAX_ITEMS: '700', EVENT_MAX_BYTES: '2097152', ...quantity }).limits.maxItems).toBe(700);
  });

  it('when PAYMENT_WEBHOOK_SECRET is at least 32 bytes (not characters), then it keys the webhook; unset, there is none', () => {
    expect(loadConfig({}).http.paymentWebhookSecret).toBeUndefined();
    expect(loadConfig({ PAYMENT_WEBHOOK_SECRET: 'x'.repeat(32) }).http.paymentWebhookSecret).toBe('x'.repeat(32));
    expect(loadConfig({ PAYMENT_WEBHOOK_SECRET: 'é'.repeat(16) }).http.paymentWebhookSecret).toBe('é'.repeat(16));
  });

  it('when the cart TTLs are not set, then carts live 30 days and guest carts 7; when set, as set', () => {
    expect(loadConfig({}).cartTtls).toEqual({ customerTtlSeconds: 2_592_000, guestTtlSeconds: 604_800 });
    expect(loadConfig({ CART_TTL_SECONDS: '60', CART_GUEST_TTL_SECONDS: '30' }).cartTtls).toEqual({
      customerTtlSeconds: 60,
      guestTtlSeconds: 30,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ METRICS_PORT: 'prometheus' }, 'METRICS_PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CART_MAX_ITEMS: '0' }, 'CART_MAX_ITEMS'],
    [{ DATABASE_URL: 'postgres://h/d', DB_HOST: 'h' }, 'DATABASE_URL'],
    [{ AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET'],
    [{ AUTH_JWT_SECRET: 'x'.repeat(32) }, 'GUEST_TOKEN_SECRET'],
    [{ AUTH_JWKS_URL: 'https://id.example/jwks.json' }, 'GUEST_TOKEN_SECRET'],
    [{ GUEST_TOKEN_SECRET: 'short' }, 'GUEST_TOKEN_SECRET'],
    [{ PAYMENT_WEBHOOK_SECRET: 'short' }, 'PAYMENT_WEBHOOK_SECRET'],
    [{ PAYMENT_WEBHOOK_SECRET: 'x'.repeat(31) }, 'PAYMENT_WEBHOOK_SECRET'],
    [{ PAYMENT_WEBHOOK_SECRET: '' }, 'PAYMENT_WEBHOOK_SECRET'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ CART_MAX_QUANTITY_PER_ITEM: '9007199254740993' }, 'CART_MAX_QUANTITY_PER_ITEM'],
    [{ CART_MAX_QUANTITY_PER_ITEM: '10001' }, 'CART_MAX_QUANTITY_PER_ITEM'],
    [{ CART_MAX_ITEMS: '10001' }, 'CART_MAX_ITEMS'],
    [{ CART_MAX_ITEMS: '100', CART_MAX_QUANTITY_PER_ITEM: '101' }, 'CART_MAX_ITEMS × CART_MAX_QUANTITY_PER_ITEM'],
    [{ CART_MAX_ITEMS: '5000', CART_MAX_QUANTITY_PER_ITEM: '2' }, 'CART_MAX_ITEMS'],
    [{ EVENT_MAX_BYTES: '100000' }, 'EVENT_MAX_BYTES'],
    [{ EVENT_MAX_BYTES: '67108865' }, 'EVENT_MAX_BYTES'],
    [{ BODY_LIMIT_BYTES: '1e12' }, 'BODY_LIMIT_BYTES'],
    [{ RATE_LIMIT_MAX: '1e15' }, 'RATE_LIMIT_MAX'],
    [{ RATE_LIMIT_WINDOW_MS: '1e12' }, 'RATE_LIMIT_WINDOW_MS'],
    [{ SHUTDOWN_GRACE_MS: '3000000000' }, 'SHUTDOWN_GRACE_MS'],
    [{ CHECKOUT_MAX_PER_MINUTE: '0' }, 'CHECKOUT_MAX_PER_MINUTE'],
    [{ CHECKOUT_MAX_PER_MINUTE: '1e9' }, 'CHECKOUT_MAX_PER_MINUTE'],
    [{ IDEMPOTENCY_MAX_KEYS_PER_CUSTOMER: '1e9' }, 'IDEMPOTENCY_MAX_KEYS_PER_CUSTOMER'],
    [{ GUEST_SESSIONS_MAX_PER_ADDRESS_PER_HOUR: '-1' }, 'GUEST_SESSIONS_MAX_PER_ADDRESS_PER_HOUR'],
    [{ CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE: '1e9' }, 'CHECKOUT_MAX_PER_ADDRESS_PER_MINUTE'],
    [{ DB_CONNECT_TIMEOUT_MS: '3000000000' }, 'DB_CONNECT_TIMEOUT_MS'],
    [{ DB_STATEMENT_TIMEOUT_MS: '3000000000' }, 'DB_STATEMENT_TIMEOUT_MS'],
    [{ TRUST_PROXY_HOPS: '0' }, 'TRUST_PROXY_HOPS'],
    [{ PRICE_SOURCE: 'catalog' }, 'CATALOG_URL'],
    [{ DB_SSL_MODE: 'prefer' }, 'DB_SSL_MODE'],
    [{ PRICE_SOURCE: 'browser' }, 'PRICE_SOURCE'],
    [{ CURRENCY: 'JPY' }, 'CURRENCY'],
    [{ CURRENCY: 'XXX1' }, 'CURRENCY'],
    [{ CATALOG_TIMEOUT_MS: '0' }, 'CATALOG_TIMEOUT_MS'],
    [{ CATALOG_MAX_RESPONSE_BYTES: '100' }, 'CATALOG_MAX_RESPONSE_BYTES'],
    [{ CATALOG_MAX_RESPONSE_BYTES: '1e12' }, 'CATALOG_MAX_RESPONSE_BYTES'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }, 'HTTP_REQUEST_TIMEOUT_MS'],
    [{ HTTP_MAX_CONNECTIONS: '0' }, 'HTTP_MAX_CONNECTIONS'],
    [{ HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0' }, 'HTTP_MAX_CONNECTIONS_PER_ADDRESS'],
    [{ HTTP_MAX_CONNECTIONS_PER_ADDRESS: '1e6' }, 'HTTP_MAX_CONNECTIONS_PER_ADDRESS'],
    [{ CART_TTL_SECONDS: '0' }, 'CART_TTL_SECONDS'],
    [{ CART_TTL_SECONDS: '31622401' }, 'CART_TTL_SECONDS'],
    [{ CART_GUEST_TTL_SECONDS: '1.5' }, 'CART_GUEST_TTL_SECONDS'],
    [
      { DB_READ_REPLICA_URLS: 'postgres://r1/db,mysql://r2/db' },
      'DB_READ_REPLICA_URLS: entry 2 is not a postgres:// URL',
    ],
    [{ DB_READ_REPLICA_URLS: 'r1.internal' }, 'DB_READ_REPLICA_URLS: entry 1'],
    [{ DB_REPLICA_CHECK_INTERVAL_MS: '10' }, 'DB_REPLICA_CHECK_INTERVAL_MS'],
    [{ DB_REPLICA_MAX_WAIT_MS: '5000' }, 'DB_REPLICA_MAX_WAIT_MS'],
  ])('when %p, then start-up stops naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`Invalid configuration: .*${variable}`));
  });

  it('when read replicas are listed, then each URL is read, with its checks', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app@db/carthub',
      DB_READ_REPLICA_URLS: 'postgres://replica-1.internal, postgresql://reader@replica-2.internal:6432/carthub',
      DB_REPLICA_CHECK_INTERVAL_MS: '1000',
      DB_REPLICA_MAX_WAIT_MS: '0',
    });
    expect(config.readReplicas).toEqual({
      urls: ['postgres://replica-1.internal', 'postgresql://reader@replica-2.internal:6432/carthub'],
      checkIntervalMs: 1000,
      maxWaitMs: 0,
    });
  });
});
