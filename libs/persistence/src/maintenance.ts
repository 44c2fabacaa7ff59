import { deleteExpiredIdempotencyKeys } from './idempotency-store';
import { DatabaseSettings } from './database-settings';
import { withOrm } from './orm-config';

/** Deletes idempotency keys past their 24 hours; answers how many went. */
export function cleanupExpiredKeys(settings: DatabaseSettings): Promise<number> {
  return withOrm(settings, deleteExpiredIdempotencyKeys);
}
