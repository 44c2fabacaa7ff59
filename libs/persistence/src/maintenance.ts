import { MikroORM } from '@mikro-orm/postgresql';
import { deleteExpiredIdempotencyKeys } from './idempotency-store';
import { createOrmConfig, DatabaseSettings } from './orm-config';

/** Deletes idempotency keys past their 24 hours; answers how many went. */
export async function cleanupExpiredKeys(settings: DatabaseSettings): Promise<number> {
  const orm = await MikroORM.init(createOrmConfig(settings));
  try {
    return await deleteExpiredIdempotencyKeys(orm);
  } finally {
    await orm.close(true);
  }
}
