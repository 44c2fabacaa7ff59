import { MikroORM } from '@mikro-orm/postgresql';

export interface PoolStats {
  readonly inUse: number;
  readonly idle: number;
  readonly waiting: number;
}

/** How the connection pool is doing, for metrics. */
export async function poolStats(orm: MikroORM): Promise<PoolStats> {
  const pool = await orm.em.getConnection().getNativeClient();
  return { inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
