import type { Pool, PoolClient } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { InferKyselyDB } from '@mikro-orm/sql';
import { Kysely, PostgresDialect, PostgresPool, sql } from 'kysely';
import { entities } from '../entities';

/** The tables as the entities describe them: a query naming a column they do not have fails the typecheck. */
export type Tables = InferKyselyDB<(typeof entities)[number]>;

/** A Kysely bound to the pool or to one transaction, typed from the entities. */
export type Db = Kysely<Tables>;

/** The Kysely of an EntityManager (inside a transaction, bound to it), typed from the entities. */
export const kyselyOf = (em: MikroORM['em']): Db => em.getKysely<Tables>();

/**
 * The pool, for statements outside a transaction. A fork would cost an
 * EntityManager per request and buys nothing here: these reads never touch
 * the identity map.
 */
export const pooled = (orm: MikroORM): Db => kyselyOf(orm.em);

/** A timestamp as epoch milliseconds, computed by PostgreSQL so no driver time-zone parsing is involved. */
export const epochMsText = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
export const epochMs = (column: string) => sql<number>`${sql.raw(epochMsText(column))}`;

/** to_char's pattern for ISO 8601 in UTC to the millisecond (truncated, as epochMs and Date.toISOString agree). */
export const ISO_MS_PATTERN = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

/** The pg Pool the ORM's connection runs on, for the named (prepared) statements of the hot path. */
export const nativePool = (orm: MikroORM): Promise<Pool> => orm.em.getConnection().getNativeClient();

/** What a transaction's work answers, and whether what it wrote is kept. */
export interface TransactionOutcome<T> {
  readonly value: T;
  readonly keep: boolean;
}

/** Keep what the work wrote. */
export const keep = <T>(value: T): TransactionOutcome<T> => ({ value, keep: true });
/** Roll back: the work found nothing to change (no version moves, nothing a lock created survives). */
export const discard = <T>(value: T): TransactionOutcome<T> => ({ value, keep: false });

/** A Kysely that runs its queries on one client of the pool (the transaction's), typed from the entities. */
function kyselyOn(client: PoolClient): Db {
  const borrowed = { query: client.query.bind(client), release: () => undefined };
  const pool = { connect: async () => borrowed, end: async () => undefined } as unknown as PostgresPool;
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * The one transaction helper: runs `work` in one transaction on a client of
 * the ORM's pg Pool, committed when it answers keep(), rolled back when it
 * answers discard() or throws. `work` may use the named statements on
 * `client` and the typed Kysely `db`, which runs on the same client.
 */
export async function inTransaction<T>(
  orm: MikroORM,
  work: (db: Db, client: PoolClient) => Promise<TransactionOutcome<T>>,
): Promise<T> {
  const client = await (await nativePool(orm)).connect();
  try {
    await client.query('begin');
    const outcome = await work(kyselyOn(client), client);
    await client.query(outcome.keep ? 'commit' : 'rollback');
    client.release();
    return outcome.value;
  } catch (error) {
    // The error that ended the work is the one to report; a connection that cannot roll back is not pooled again.
    const rolledBack = await client.query('rollback').then(
      () => true,
      () => false,
    );
    client.release(!rolledBack);
    throw error;
  }
}
