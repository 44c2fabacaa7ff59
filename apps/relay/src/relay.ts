import { Pool } from 'pg';
import { Logger } from 'pino';
import {
  markEventsPublished,
  parkEvents,
  readOutboxBacklog,
  readUnpublishedEvents,
  resolveDatabaseUrl,
  pgConnection,
} from '@carthub/persistence';
import { ConfigError } from '@carthub/util';
import { Broker } from './broker';
import { RelayConfig } from './config';
import { LeaderLock } from './leader-lock';
import { RelayMetrics } from './metrics';
import { publishBatch } from './publish-batch';
import { RetryDelay, sleep } from './retry';
import { RelayRole, startStatusServer } from './status-server';

export interface RunningRelay {
  /** Where /health and /metrics answer. */
  readonly url: string;
  role(): RelayRole;
  /** Finishes the batch in flight, releases the lock, closes every connection. */
  stop(): Promise<void>;
}

/**
 * Publishes the outbox to JetStream while holding the relay lock, and waits
 * as a standby while another relay holds it. Every failure (PostgreSQL, NATS)
 * is retried after a capped exponential wait; nothing here ends the process.
 */
export async function startRelay(config: RelayConfig, logger: Logger): Promise<RunningRelay> {
  const url = await resolveDatabaseUrl(config.database);
  if (!url) {
    throw new ConfigError(
      'No database configured: set DATABASE_URL, DB_SECRET_ARN, or DB_HOST with DB_PORT, DB_NAME, DB_USERNAME and DB_PASSWORD',
    );
  }
  const pool = new Pool({
    ...pgConnection(url),
    max: 2,
    connectionTimeoutMillis: config.database.connectTimeoutMs,
    statement_timeout: config.database.statementTimeoutMs,
    application_name: 'carthub-relay',
  });
  // A dropped idle connection is what the next query finds out; it must not end the process.
  pool.on('error', () => undefined);
  const lock = new LeaderLock(
    { url, connectTimeoutMs: config.database.connectTimeoutMs, checkIntervalMs: config.lockIntervalMs },
    logger,
  );
  const broker = new Broker(
    {
      servers: config.natsServers,
      stream: config.stream,
      subjectPrefix: config.subjectPrefix,
      publishTimeoutMs: config.publishTimeoutMs,
    },
    logger,
  );
  const metrics = new RelayMetrics();
  const stopping = new AbortController();
  let started = false;
  const role = (): RelayRole =>
    stopping.signal.aborted ? 'stopping' : !started ? 'starting' : lock.held ? 'active' : 'standby';

  const server = await startStatusServer(
    {
      role,
      connected: () => ({ database: lock.connected, nats: broker.connected }),
      refreshBacklog: () =>
        readOutboxBacklog(pool).then(
          (backlog) => metrics.recordBacklog(backlog),
          (error: Error) => logger.warn({ err: error }, 'could not read the outbox backlog'),
        ),
    },
    metrics,
    { host: config.host, port: config.port },
    logger,
  );
  logger.info({ url: server.url }, 'serving /health and /metrics');

  const retry = new RetryDelay(config.retryMaxMs);
  // Acknowledged but not yet marked (PostgreSQL failed in between): marked before anything else.
  let unmarked: string[] = [];
  let streamReady = false;

  async function round(): Promise<void> {
    if (!broker.open) {
      await broker.connect();
      streamReady = false;
    }
    started = true;
    if (!lock.held) {
      if (!(await lock.tryAcquire())) {
        retry.reset();
        await sleep(config.lockIntervalMs, stopping.signal);
        return;
      }
      logger.info({}, 'holding the relay lock: publishing');
    }
    if (!streamReady) {
      await broker.ensureStream();
      streamReady = true;
    }
    if (unmarked.length > 0) {
      await markEventsPublished(pool, unmarked);
      unmarked = [];
    }
    const events = await readUnpublishedEvents(pool, config.batchSize);
    if (events.length === 0) {
      retry.reset();
      await lock.waitForNotification(config.pollMs, stopping.signal);
      return;
    }
    const result = await publishBatch(
      events,
      (event) => broker.publish(event),
      () => lock.held,
    );
    metrics.recordPublished(result.published.length);
    unmarked = result.published;
    await markEventsPublished(pool, unmarked);
    unmarked = [];
    // Parked at once, not retried: one event the broker never takes must not put every other one behind a backoff.
    await parkEvents(
      pool,
      result.refused.map(({ event, reason }) => ({ position: event.position, reason })),
    );
    for (const { event, reason } of result.refused) {
      logger.error(
        { eventId: event.id, type: event.type, aggregate: `${event.aggregateType}:${event.aggregateId}`, reason },
        'event parked: the broker refused it for good; the later events of its aggregate wait behind it',
      );
    }
    metrics.recordParked(result.refused.length);
    if (result.failure !== undefined) throw result.failure;
    retry.reset();
  }

  const running = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await round();
      } catch (error) {
        streamReady = false;
        metrics.recordFailedRound();
        const waitMs = retry.next();
        logger.warn({ err: error, retryInMs: Math.round(waitMs) }, 'relay round failed; retrying');
        await sleep(waitMs, stopping.signal);
      }
    }
  })();

  return {
    url: server.url,
    role,
    async stop() {
      stopping.abort();
      await running;
      await lock.release();
      await broker.close();
      await pool.end().catch(() => undefined);
      await server.close();
      logger.info({}, 'stopped');
    },
  };
}
