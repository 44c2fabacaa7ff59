import { Client } from 'pg';
import { Logger } from 'pino';
import { OUTBOX_CHANNEL, pgConnection } from '@carthub/persistence';

/** The advisory lock whose holder is the one active relay of a database. */
export const RELAY_LOCK_ID = 7_202_612;

export interface LeaderLockOptions {
  readonly url: string;
  readonly connectTimeoutMs: number;
  /** How often the holder checks that its lock connection still answers. */
  readonly checkIntervalMs: number;
}

/**
 * A PostgreSQL session advisory lock on a connection of its own: the session
 * that holds it is the active relay. When that connection ends, whichever way,
 * the lock is gone with it (the server releases it too), so the holder must
 * stop publishing at once; a standby then gets it on its next try. The same
 * connection LISTENs for writers' notifications.
 */
export class LeaderLock {
  private client?: Client;
  private holding = false;
  private checkTimer?: NodeJS.Timeout;
  private wake?: () => void;
  private notified = false;

  constructor(
    private readonly options: LeaderLockOptions,
    private readonly logger: Logger,
  ) {}

  get held(): boolean {
    return this.holding;
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** One try: connects when needed, then answers whether this relay now holds the lock. */
  async tryAcquire(): Promise<boolean> {
    if (this.holding) return true;
    const client = this.client ?? (await this.connect());
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [
      RELAY_LOCK_ID,
    ]);
    if (rows[0].locked && this.client === client) {
      this.holding = true;
      this.checkTimer = setInterval(() => this.checkConnection(client), this.options.checkIntervalMs);
    }
    return this.holding;
  }

  /** Resolves on a writer's NOTIFY, after `ms`, or when `signal` aborts, whichever comes first. */
  waitForNotification(ms: number, signal: AbortSignal): Promise<void> {
    if (this.notified || signal.aborted) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  /** Unlocks and closes the connection. */
  async release(): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (this.holding) {
      await client.query('select pg_advisory_unlock($1)', [RELAY_LOCK_ID]).catch(() => undefined);
    }
    this.drop(client, 'released');
    await client.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      ...pgConnection(this.options.url),
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      // A lock connection that silently died must not look alive for long.
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      query_timeout: Math.max(this.options.checkIntervalMs * 3, 3_000),
      application_name: 'carthub-relay-lock',
    });
    client.on('error', (error) => this.drop(client, error.message));
    client.on('end', () => this.drop(client, 'connection closed'));
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    try {
      await client.connect();
      await client.query(`listen ${OUTBOX_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private checkConnection(client: Client): void {
    client.query('select 1').catch((error: Error) => {
      this.drop(client, `lock check failed: ${error.message}`);
      void client.end().catch(() => undefined);
    });
  }

  private drop(client: Client, reason: string): void {
    if (this.client !== client) return;
    if (this.holding && reason !== 'released') this.logger.error({ reason }, 'lost the relay lock: stopped publishing');
    this.client = undefined;
    this.holding = false;
    clearInterval(this.checkTimer);
  }
}
