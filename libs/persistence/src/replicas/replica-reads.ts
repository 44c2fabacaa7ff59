import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { FreshReading } from './fresh-reading';
import { ReplicaAwareDriver } from './read-replica-config';
import { Db, pooled } from '../connection/sql-plumbing';

/**
 * How a read that a replica may answer was answered: by the replica, or by
 * the primary because the replica did not have the row (missing), failed
 * (error), had not yet replayed every write acknowledged before the read
 * began (lagging), or no replica was up (down).
 */
export type ReplicaReadOutcome =
  'replica' | 'fallback_missing' | 'fallback_error' | 'fallback_lagging' | 'fallback_down';

/** What the replicas report, for metrics and logs; replicas are named by their position in the list, from 1. */
export interface ReplicaObserver {
  read(outcome: ReplicaReadOutcome): void;
  error(replica: string): void;
  /** Sampled every check: how far the replica's replay is behind the primary's WAL (both 0 when caught up). */
  lag(replica: string, lag: { readonly seconds: number; readonly bytes: number }): void;
  /** On every change, and once at the start (down until its first check). */
  state(replica: string, up: boolean, reason?: string): void;
}

export interface ReplicaReadsOptions {
  /** How often each replica is checked (lag sampled, a failed replica tried again). */
  readonly checkIntervalMs: number;
  /** How long a read may wait for the replica to replay what it must (0: not at all), before the primary answers. */
  readonly maxWaitMs?: number;
  readonly observer?: ReplicaObserver;
}

interface Replica {
  readonly name: string;
  readonly db: Db;
  /** Undefined until its first check. */
  up?: boolean;
}

const LAGGING = Symbol('lagging');
const UNCHECKED = Symbol('unchecked');

/** How far the server has replayed the primary's WAL; -1 when it is no standby (it never will). */
async function replayPosition(db: Db): Promise<bigint> {
  const { rows } = await sql<{ lsn: string | null }>`select pg_last_wal_replay_lsn()::text as lsn`.execute(db);
  return rows[0].lsn === null ? -1n : lsnOf(rows[0].lsn);
}

/** A WAL position (`16/B374D848`) as a number, for comparing. */
function lsnOf(text: string): bigint {
  const [high, low] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/**
 * Reads that a streaming replica may answer, without ever answering older
 * than the caller's own writes. The rule: a read takes the primary's WAL
 * flush position (after the read arrived, so it covers every write
 * acknowledged before) and, on one replica connection, how far that replica
 * has replayed; only when the replica has got that far does the read run
 * there, whose snapshot, taken after, holds all of it. Otherwise, and when
 * the replica fails or has no such row, the primary answers. A replica that
 * fails is left alone until a check finds it answering again, so a dead
 * replica costs nothing but one failed attempt of the reads in flight.
 */
export class ReplicaReads {
  private readonly replicas: Replica[];
  private readonly primaryPosition: FreshReading<string>;
  private readonly timer: NodeJS.Timeout;
  private checking?: Promise<void>;

  /** Undefined when the ORM has no read replicas: reads then simply go to the primary. */
  static of(orm: MikroORM, options: ReplicaReadsOptions): ReplicaReads | undefined {
    const driver = orm.driver;
    const connections = driver instanceof ReplicaAwareDriver ? driver.readReplicas() : [];
    if (connections.length === 0) return undefined;
    return new ReplicaReads(
      orm,
      connections.map((connection) => connection.getClient()),
      options,
    );
  }

  private constructor(
    private readonly orm: MikroORM,
    replicaDbs: Db[],
    private readonly options: ReplicaReadsOptions,
  ) {
    this.replicas = replicaDbs.map((db, index) => ({ name: String(index + 1), db }));
    for (const replica of this.replicas) options.observer?.state(replica.name, false);
    this.primaryPosition = new FreshReading(async () => {
      const result = await sql<{ lsn: string }>`select pg_current_wal_flush_lsn()::text as lsn`.execute(this.primary);
      return result.rows[0].lsn;
    });
    this.timer = setInterval(() => void this.check(), options.checkIntervalMs).unref();
    void this.check();
  }

  private get primary(): Db {
    return pooled(this.orm);
  }

  /**
   * `work` on a replica that holds every write acknowledged before this call,
   * else on the primary; `found` says whether the replica's answer is one
   * (a row it does not have is asked of the primary). Errors of the primary
   * are the caller's; errors of a replica never are.
   */
  async read<T>(work: (db: Db) => Promise<T>, found: (result: T) => boolean): Promise<T> {
    const replica = this.pick();
    if (!replica) return this.onPrimary('fallback_down', work);
    // Taken while the replica is asked how far it has replayed: the two are compared, never ordered.
    const fence = this.primaryPosition.read().then(lsnOf, () => undefined);
    let result: T | typeof LAGGING | typeof UNCHECKED;
    try {
      result = await replica.db.connection().execute(async (db) => {
        const [position, replayed] = await Promise.all([fence, replayPosition(db)]);
        if (position === undefined) return UNCHECKED;
        const caughtUp = replayed >= position || (await this.waitForReplay(db, position));
        return caughtUp ? work(db) : LAGGING;
      });
    } catch (error) {
      this.failed(replica, error);
      return this.onPrimary('fallback_error', work);
    }
    // The primary did not say where it is: it answers the read itself, or fails it as any read would.
    if (result === UNCHECKED) return work(this.primary);
    if (result === LAGGING) return this.onPrimary('fallback_lagging', work);
    if (!found(result)) return this.onPrimary('fallback_missing', work);
    this.options.observer?.read('replica');
    return result;
  }

  /**
   * Whether the replica gets to `position` within maxWaitMs: a replica that
   * streams keeps a moment behind whenever the primary writes, vacuum
   * included, and a moment is worth waiting for.
   */
  private async waitForReplay(db: Db, position: bigint): Promise<boolean> {
    const deadline = performance.now() + (this.options.maxWaitMs ?? 0);
    while (performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if ((await replayPosition(db)) >= position) return true;
    }
    return false;
  }

  /** Stops checking; the replicas' pools close with the ORM. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }

  private pick(): Replica | undefined {
    const up = this.replicas.filter((replica) => replica.up === true);
    return up[Math.floor(Math.random() * up.length)];
  }

  private onPrimary<T>(outcome: ReplicaReadOutcome, work: (db: Db) => Promise<T>): Promise<T> {
    this.options.observer?.read(outcome);
    return work(this.primary);
  }

  private failed(replica: Replica, error: unknown): void {
    this.options.observer?.error(replica.name);
    this.setState(replica, false, error instanceof Error ? error.message : String(error));
  }

  private setState(replica: Replica, up: boolean, reason?: string): void {
    if (replica.up === up) return;
    replica.up = up;
    this.options.observer?.state(replica.name, up, reason);
  }

  /** One check at a time: a slow replica delays the next check, never piles them up. */
  private check(): Promise<void> {
    this.checking ??= this.checkAll().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async checkAll(): Promise<void> {
    // Without the primary's position the lag is unknown, but whether each replica answers is still worth knowing.
    const primary = await this.primaryPosition.read().catch(() => null);
    await Promise.all(this.replicas.map((replica) => this.checkReplica(replica, primary)));
  }

  private async checkReplica(replica: Replica, primary: string | null): Promise<void> {
    try {
      const result = await sql<{ standby: boolean; behind: number | null; since: number | null }>`
        select pg_is_in_recovery() as standby,
               pg_wal_lsn_diff(${primary}::pg_lsn, pg_last_wal_replay_lsn())::float8 as behind,
               extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as since`.execute(replica.db);
      const { standby, behind, since } = result.rows[0];
      if (!standby) throw new Error('not a standby (pg_is_in_recovery() is false): it would never have caught up');
      this.setState(replica, true);
      if (behind === null) return;
      // Behind: for how long nothing new was replayed; caught up (the usual state when idle): 0.
      const bytes = Math.max(0, behind);
      this.options.observer?.lag(replica.name, { bytes, seconds: bytes > 0 ? Math.max(0, since ?? 0) : 0 });
    } catch (error) {
      this.failed(replica, error);
    }
  }
}
