import { MikroORM } from '@mikro-orm/postgresql';
import { PoolStats } from '@carthub/util';

/** How the connection pool is doing, for metrics. */
export async function poolStats(orm: MikroORM): Promise<PoolStats> {
  const pool = await orm.em.getConnection().getNativeClient();
  return { inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
