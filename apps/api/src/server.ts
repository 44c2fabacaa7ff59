import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { CartService, CheckoutService } from '@carthub/domain';
import { createApp, Logger, Metrics } from '@carthub/http';
import {
  createOrmConfig,
  DatabaseProbe,
  poolStats,
  PostgresCartRepository,
  PostgresIdempotencyStore,
  PostgresOrderStore,
} from '@carthub/persistence';
import { ApiConfig } from './config';
import { openDatabase } from './database';
import { connectRedis } from './redis';

export interface RunningServer {
  readonly url: string;
  /** Stops taking requests, lets those in flight finish (up to the grace period), then releases the database. */
  shutdown(): Promise<void>;
}

export async function startServer(config: ApiConfig, logger: Logger): Promise<RunningServer> {
  const database = await openDatabase(config, logger);
  const orm = await MikroORM.init(createOrmConfig(database.settings));
  const probe = new DatabaseProbe(database.settings);
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  let acceptingTraffic = true;

  const app = createApp({
    carts: new CartService(new PostgresCartRepository(orm), config.limits),
    orders: new CheckoutService(
      new PostgresOrderStore(orm, { ordersPerMinute: config.quotas.ordersPerMinute }),
      new PostgresIdempotencyStore(orm, { liveKeysPerCustomer: config.quotas.liveIdempotencyKeys }),
    ),
    health: {
      databaseIsUp: () => probe.isUp(config.healthTimeoutMs),
      isAcceptingTraffic: () => acceptingTraffic,
    },
    logger,
    metrics: new Metrics(() => poolStats(orm)),
    settings: { ...config.http, rateLimit: config.http.rateLimit && { ...config.http.rateLimit, redis } },
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port, config.host, () => resolve(listening)).once('error', reject);
  });
  // Keep-alive sockets must not outlive a load balancer's idle timeout, nor hold shutdown open.
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, 'listening');

  return {
    url: `http://127.0.0.1:${port}`,
    async shutdown() {
      acceptingTraffic = false;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      await orm.close(true);
      await probe.close();
      redis?.disconnect();
      await database.stop();
      logger.info({}, 'stopped');
    },
  };
}
