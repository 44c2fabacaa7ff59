import { Pool } from 'pg';
import { DatabaseSettings, tuningOf } from './database-settings';
import { pgConnection } from './database-tls';
import { Queryable } from '../outbox/outbox';

/**
 * Whether PostgreSQL answers, asked on a connection of its own: a pool busy
 * with requests is load, not an outage, and must not read as "disconnected"
 * (readiness would pull every replica at the moment they are all busy).
 * Probes that overlap share one query, so a flood of health checks holds one
 * connection, never more. The same connection serves the cheap reads /metrics
 * makes at scrape time, for the same reason.
 */
export class DatabaseProbe {
  private readonly pool: Pool;
  private probing?: Promise<boolean>;

  constructor(settings: DatabaseSettings) {
    const { connectTimeoutMs, statementTimeoutMs } = tuningOf(settings);
    this.pool = new Pool({
      ...pgConnection(settings.url),
      max: 1,
      idleTimeoutMillis: 60_000,
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: statementTimeoutMs,
      application_name: `${settings.applicationName ?? 'carthub'}-health`,
    });
    // A dropped idle connection is what the next probe will find out; it must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Never throws: a health endpoint must answer fast either way, even while a connection attempt hangs. */
  async isUp(deadlineMs: number): Promise<boolean> {
    this.probing ??= this.pool.query('select 1').then(
      () => true,
      () => false,
    );
    const probe = this.probing;
    void probe.finally(() => {
      if (this.probing === probe) this.probing = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
    });
    try {
      return await Promise.race([probe, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The probe's own connection, for monitoring reads (one indexed row at most: they must not delay a probe). */
  get connection(): Queryable {
    return this.pool;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
