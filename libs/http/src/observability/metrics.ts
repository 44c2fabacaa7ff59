import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PoolStats } from '@carthub/util';

/** Everything /metrics reports, in a registry of its own (one per app, so tests never collide). */
export class Metrics {
  readonly registry = new Registry();

  readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly itemsAdded = this.counter('carthub_cart_items_added_total', 'Units added to carts');
  readonly checkouts = this.counter('carthub_checkouts_total', 'Orders placed at checkout');
  readonly idempotentReplays = this.counter(
    'carthub_idempotent_replays_total',
    'Checkouts answered from a stored Idempotency-Key response',
  );
  readonly catalogRequests = this.counter(
    'carthub_catalog_requests_total',
    'Calls to the product catalog by outcome (rejected: refused at once by the open circuit breaker)',
    ['outcome'],
  );
  readonly catalogCache = this.counter(
    'carthub_catalog_cache_lookups_total',
    'Product ids looked up in the catalog cache, by result',
    ['result'],
  );
  readonly cartsMerged = this.counter(
    'carthub_carts_merged_total',
    'Merges that moved lines from one cart into another (repeats that changed nothing are not counted)',
  );
  readonly catalogBreaker = this.gauge(
    'carthub_catalog_breaker_state',
    "1 for the catalog circuit breaker's current state, 0 for the others",
    ['state'],
  );

  readonly replicaReads = this.counter(
    'carthub_db_replica_reads_total',
    'Reads a read replica may answer, by who answered: replica, or the primary because the replica had no such row ' +
      '(fallback_missing), failed (fallback_error), had not replayed the writes before the read (fallback_lagging) ' +
      'or none was up (fallback_down)',
    ['outcome'],
  );
  readonly replicaErrors = this.counter(
    'carthub_db_replica_errors_total',
    'Failed statements on a read replica (reads and checks), by replica (its position in DB_READ_REPLICA_URLS)',
    ['replica'],
  );
  readonly replicaLagSeconds = this.gauge(
    'carthub_db_replica_lag_seconds',
    "How long since a replica last replayed a commit, while it is behind the primary's WAL; 0 when caught up " +
      '(an idle primary leaves nothing to replay: 0). Sampled every DB_REPLICA_CHECK_INTERVAL_MS',
    ['replica'],
  );
  readonly replicaLagBytes = this.gauge(
    'carthub_db_replica_lag_bytes',
    "Bytes of WAL a replica has still to replay, against the primary's flush position. Sampled every check",
    ['replica'],
  );
  readonly replicaUp = this.gauge(
    'carthub_db_replica_up',
    '1 while a read replica takes reads, 0 while it is left alone after failing (or before its first check)',
    ['replica'],
  );

  /** Feeds the read replicas' reports into the series above (persistence knows nothing of Prometheus). */
  replicaObserver() {
    return {
      read: (outcome: string) => this.replicaReads.inc({ outcome }),
      error: (replica: string) => this.replicaErrors.inc({ replica }),
      lag: (replica: string, lag: { readonly seconds: number; readonly bytes: number }) => {
        this.replicaLagSeconds.set({ replica }, lag.seconds);
        this.replicaLagBytes.set({ replica }, lag.bytes);
      },
      state: (replica: string, up: boolean) => this.replicaUp.set({ replica }, +up),
    };
  }

  /** Feeds the catalog client's outcomes into the counters above (the client knows nothing of Prometheus). */
  catalogObserver() {
    return {
      request: (outcome: 'ok' | 'error' | 'timeout' | 'rejected') => this.catalogRequests.inc({ outcome }),
      cacheHit: () => this.catalogCache.inc({ result: 'hit' }),
      cacheMiss: () => this.catalogCache.inc({ result: 'miss' }),
      breakerState: (state: 'closed' | 'open' | 'half_open') => {
        for (const each of ['closed', 'open', 'half_open']) this.catalogBreaker.set({ state: each }, +(each === state));
      },
    };
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /**
   * `poolStats` and `oldestPendingEventAge` are read at each scrape; without
   * them (tests of the HTTP layer alone) their series are absent.
   */
  constructor(poolStats?: () => Promise<PoolStats>, oldestPendingEventAge?: () => Promise<number>) {
    collectDefaultMetrics({ register: this.registry });
    if (oldestPendingEventAge) {
      new Gauge({
        name: 'carthub_outbox_oldest_pending_age_seconds',
        help:
          'How long the first outbox event in line to be published has waited (0 when none; parked events aside). ' +
          'It grows while no relay publishes',
        registers: [this.registry],
        async collect() {
          // On failure the last value stays: a scrape must still answer while the database is away.
          await oldestPendingEventAge().then(
            (age) => this.set(age),
            () => undefined,
          );
        },
      });
    }
    if (!poolStats) return;
    const pool = (name: string, help: string, read: (stats: PoolStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(read(await poolStats()));
        },
      });
    pool('carthub_db_pool_in_use', 'Database connections running a query or transaction', (stats) => stats.inUse);
    pool('carthub_db_pool_idle', 'Open database connections waiting for work', (stats) => stats.idle);
    pool('carthub_db_pool_waiting', 'Requests waiting for a database connection', (stats) => stats.waiting);
  }

  /** One answered request, labelled by its route pattern. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status: String(status) }, seconds);
  }
}
