import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import Koa from 'koa';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  CartExpiry,
  CartService,
  CartLimits,
  CartTtls,
  catalogPrices,
  CheckoutService,
  clientPrices,
  DEFAULT_CART_LIMITS,
  DiscountCodeService,
  PriceSource,
  OrderLifecycle,
  PricingRules,
} from '@carthub/domain';
import {
  createOrmConfig,
  DatabaseProbe,
  OrderQuotas,
  OutboxWriter,
  PostgresCartRepository,
  PostgresDiscountCodeStore,
  PostgresOrderStore,
  PostgresOrderTransitions,
  PostgresStockStore,
  stockReservation,
} from '@carthub/persistence';
import { createTestDatabase, TestDatabase } from '@carthub/persistence/testing';
import { createApp, HttpSettings, Logger, Metrics, serializeEvent } from '../src';

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any; // whatever JSON the server sent
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, with no JSON encoding and no content type unless given. */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface TestServer {
  readonly baseUrl: string;
  readonly app: Koa;
  readonly metrics: Metrics;
  readonly database: TestDatabase;
  readonly logs: { level: string; fields: object; message?: string }[];
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

/** The HTTP app on a real port, over its own freshly migrated PostgreSQL database. */
export async function startTestServer(
  options: {
    limits?: CartLimits;
    settings?: Partial<HttpSettings>;
    acceptingTraffic?: () => boolean;
    poolMax?: number;
    /** How long a request may wait for a pooled connection (the service's DB_CONNECT_TIMEOUT_MS; default 1,500). */
    connectTimeoutMs?: number;
    quotas?: OrderQuotas;
    /** Prices from this catalog (PRICE_SOURCE=catalog) instead of the client's. */
    catalog?: PriceSource;
    pricingRules?: PricingRules;
    /** Cart TTLs (default: the contract's 30 and 7 days). */
    cartTtls?: CartTtls;
    /** STOCK_TRACKING=on (default off). */
    stockTracking?: boolean;
    /** Another server's database, for a second instance of the API (no queue shared in process); left to its owner. */
    database?: TestDatabase;
  } = {},
): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const orm = await MikroORM.init(
    createOrmConfig({ url: database.url, poolMax: options.poolMax ?? 20, connectTimeoutMs: options.connectTimeoutMs }),
  );
  const probe = new DatabaseProbe({ url: database.url });
  const logs: TestServer['logs'] = [];
  const record = (level: string) => (fields: object, message?: string) => logs.push({ level, fields, message });
  const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error') };
  const metrics = new Metrics();
  const outbox = new OutboxWriter(serializeEvent);
  const currency = options.settings?.currency ?? 'USD';
  const carts = new PostgresCartRepository(orm, outbox, currency);
  const expiry = new CartExpiry(options.cartTtls);
  const discountCodes = new PostgresDiscountCodeStore(orm, outbox);
  const app = createApp({
    carts: new CartService(
      carts,
      options.limits ?? DEFAULT_CART_LIMITS,
      options.catalog ? catalogPrices(options.catalog) : clientPrices,
      options.pricingRules,
      expiry,
      discountCodes,
    ),
    orders: new CheckoutService(
      new PostgresOrderStore(orm, outbox, {
        ...options.quotas,
        currency,
        steps: [...(options.stockTracking ? [stockReservation(outbox)] : [])],
      }),
      {
        rules: options.pricingRules,
        currency,
        catalog: options.catalog && { prices: options.catalog },
        expiry,
      },
    ),
    lifecycle: new OrderLifecycle(new PostgresOrderTransitions(orm, outbox, currency)),
    discounts: new DiscountCodeService(discountCodes),
    stock: new PostgresStockStore(orm, outbox),
    health: {
      databaseIsUp: () => probe.isUp(1_000),
      isAcceptingTraffic: options.acceptingTraffic ?? (() => true),
    },
    logger,
    metrics,
    settings: { bodyLimitBytes: 16 * 1024, prices: options.catalog ? 'catalog' : 'client', ...options.settings },
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    app,
    metrics,
    database,
    logs,
    async request(method, path, { body, rawBody, headers = {} } = {}) {
      const json = body === undefined ? undefined : JSON.stringify(body);
      const response = await fetch(baseUrl + path, {
        method,
        headers: json === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: rawBody ?? json,
      });
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json');
      return {
        status: response.status,
        headers: response.headers,
        text,
        body: isJson && text ? JSON.parse(text) : text,
      };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await orm.close(true);
      await probe.close();
      if (!options.database) await database.drop();
    },
  };
}
