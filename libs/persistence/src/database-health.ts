import { MikroORM } from '@mikro-orm/postgresql';

/**
 * Whether the database answers a trivial query within `deadlineMs`. Never
 * throws: a health endpoint must answer fast either way, even while a
 * connection attempt to an unreachable host is still hanging.
 */
export async function databaseIsUp(orm: MikroORM, deadlineMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs);
  });
  const probe = orm.em
    .getConnection()
    .execute('select 1')
    .then(
      () => true,
      () => false,
    );
  try {
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
