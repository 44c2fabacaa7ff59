import { createServer, RequestListener, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { HttpCatalog } from '@carthub/catalog';
import {
  CartExpiry,
  CartService,
  catalogPrices,
  CheckoutService,
  clientPrices,
  DEFAULT_CURRENCY,
  DiscountCodeService,
  OrderLifecycle,
} from '@carthub/domain';
import { answerProtocolErrors, createApp, createMetricsApp, Logger, Metrics, serializeEvent } from '@carthub/http';
import {
  createOrmConfig,
  DatabaseProbe,
  poolStats,
  OutboxWriter,
  readOldestPendingEventAge,
  PostgresCartRepository,
  PostgresDiscountCodeStore,
  PostgresOrderStore,
  PostgresOrderTransitions,
  PostgresStockStore,
  ReplicaReads,
  stockReservation,
} from '@carthub/persistence';
import { ApiConfig, ConnectionSettings } from './config';
import { openDatabase } from './database';
import { capConnectionsPerAddress } from './connections-per-address';
import { connectRedis } from './redis';

export interface RunningServer {
  readonly url: string;
  /** Where Prometheus scrapes GET /metrics, when METRICS_PORT is set. */
  readonly metricsUrl?: string;
  /** Stops taking requests, lets those in flight finish (up to the grace period), then releases the database. */
  shutdown(): Promise<void>;
}

export async function startServer(config: ApiConfig, logger: Logger): Promise<RunningServer> {
  const database = await openDatabase(config, logger);
  const orm = await MikroORM.init(createOrmConfig(database.settings));
  const probe = new DatabaseProbe(database.settings);
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  let acceptingTraffic = true;

  // The outbox's age is read on the health probe's connection: a scrape never waits for the request pool.
  const metrics = new Metrics(
    () => poolStats(orm),
    () => readOldestPendingEventAge(probe.connection),
  );
  const replicas = replicaReads(orm, config, metrics, logger);
  const outbox = new OutboxWriter(serializeEvent);
  const currency = config.http.currency ?? DEFAULT_CURRENCY;
  const carts = new PostgresCartRepository(orm, outbox, currency);
  const catalog = catalogFor(config, currency, metrics, logger);
  const expiry = new CartExpiry(config.cartTtls);
  const discountCodes = new PostgresDiscountCodeStore(orm, outbox);
  const health = {
    databaseIsUp: () => probe.isUp(config.healthTimeoutMs),
    isAcceptingTraffic: () => acceptingTraffic,
  };
  const app = createApp({
    carts: new CartService(
      carts,
      config.limits,
      catalog ? catalogPrices(catalog) : clientPrices,
      config.pricingRules,
      expiry,
      discountCodes,
    ),
    orders: new CheckoutService(
      new PostgresOrderStore(orm, outbox, {
        ordersPerMinute: config.quotas.ordersPerMinute,
        liveKeysPerCustomer: config.quotas.liveIdempotencyKeys,
        currency,
        replicas,
        steps: [...(config.stockTracking ? [stockReservation(outbox)] : [])],
      }),
      { rules: config.pricingRules, currency, catalog: catalog && { prices: catalog }, expiry },
    ),
    lifecycle: new OrderLifecycle(new PostgresOrderTransitions(orm, outbox, currency)),
    discounts: new DiscountCodeService(discountCodes),
    stock: new PostgresStockStore(orm, outbox),
    health,
    logger,
    metrics,
    settings: {
      ...config.http,
      rateLimit: config.http.rateLimit && { ...config.http.rateLimit, redis },
      addressQuotas: config.http.addressQuotas && { ...config.http.addressQuotas, redis },
    },
  });

  const server = boundedServer(app.callback(), config.connections, logger);
  answerProtocolErrors(server);
  const port = await listen(server, config.port, config.host);
  logger.info({ port }, 'listening');
  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (config.metricsPort !== undefined) {
    metricsServer = createServer(createMetricsApp(metrics, logger, health).callback());
    const metricsPort = await listen(metricsServer, config.metricsPort, config.host);
    metricsUrl = `http://127.0.0.1:${metricsPort}`;
    logger.info({ port: metricsPort }, 'serving metrics');
  }

  return {
    url: `http://127.0.0.1:${port}`,
    metricsUrl,
    async shutdown() {
      acceptingTraffic = false;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      if (metricsServer) await closeNow(metricsServer);
      await replicas?.stop();
      await orm.close(true);
      await probe.close();
      redis?.disconnect();
      await database.stop();
      logger.info({}, 'stopped');
    },
  };
}

/**
 * Node's defaults let a connection send its headers for 60 s and its body for
 * 300 s, and take any number of connections: a few thousand slow or idle
 * sockets then hold the process. Every limit here is seconds, checked every second;
 * one address may hold only so many of the connections, and the probes are also
 * answered on the metrics port, where no client of the public port can crowd them out.
 */
function boundedServer(handler: RequestListener, limits: ConnectionSettings, logger: Logger): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    handler,
  );
  server.maxConnections = limits.maxConnections;
  capConnectionsPerAddress(server, limits.maxConnectionsPerAddress, logger);
  let lastWarning = 0;
  server.on('drop', () => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    logger.warn({ max_connections: limits.maxConnections }, 'connection cap reached; closing new connections');
  });
  return server;
}

function closeNow(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * In catalog mode (PRICE_SOURCE=catalog), the shop's catalog over HTTP, reporting to /metrics;
 * a product it describes in a way we cannot use is logged, for whoever keeps the catalog to fix.
 */
function catalogFor(config: ApiConfig, currency: string, metrics: Metrics, logger: Logger): HttpCatalog | undefined {
  if (!config.catalog) return undefined;
  return new HttpCatalog({
    ...config.catalog,
    currency,
    observer: {
      ...metrics.catalogObserver(),
      unusableProduct(productId, problem) {
        logger.warn({ product_id: productId, problem }, 'catalog product unusable: it reads as unavailable');
      },
    },
  });
}

/** The read replicas, when DB_READ_REPLICA_URLS names any: reported to /metrics, and logged as they go down and up. */
function replicaReads(orm: MikroORM, config: ApiConfig, metrics: Metrics, logger: Logger): ReplicaReads | undefined {
  const observer = metrics.replicaObserver();
  return ReplicaReads.of(orm, {
    checkIntervalMs: config.readReplicas.checkIntervalMs,
    maxWaitMs: config.readReplicas.maxWaitMs,
    observer: {
      ...observer,
      state(replica, up, reason) {
        observer.state(replica, up);
        if (up) logger.info({ replica }, 'read replica up: it takes order reads');
        else if (reason) logger.warn({ replica, reason }, 'read replica down: its reads go to the primary');
      },
    },
  });
}
