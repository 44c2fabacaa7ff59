import { Redis } from 'ioredis';
import { Logger } from '@carthub/http';

/** How long a connected Redis may take to answer before the limiter lets the request through. */
const REDIS_COMMAND_TIMEOUT_MS = 200;

/**
 * A Redis client for shared rate-limit counters that never holds requests
 * up: commands fail at once while it is disconnected, and after
 * REDIS_COMMAND_TIMEOUT_MS when it is connected but not answering (stopped,
 * failing over, partitioned); the limiter then lets requests through. It
 * keeps reconnecting in the background.
 */
export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastWarning = 0;
  redis.on('error', (error) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    logger.warn({ err: error }, 'redis unavailable');
  });
  return redis;
}
