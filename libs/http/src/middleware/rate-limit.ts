import { Context, Middleware } from 'koa';
import type { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '../errors';
import { Logger } from '../logger';

export interface RateLimitSettings {
  /** Requests one client may make per window; 0 turns limiting off. */
  readonly max: number;
  readonly windowMs: number;
  /** Shared counters across replicas; without it each process counts on its own. */
  readonly redis?: Redis;
}

// Probes and documentation are never limited (metrics have a port of their own).
const EXEMPT = /^\/(health(\/.*)?|(open|async)api\.json|docs(\/.*)?)?$/;

/** Per-client-IP limits with RateLimit-* headers; if Redis fails, requests pass (and the failure is logged). */
export function rateLimit(settings: RateLimitSettings, logger: Logger): Middleware | undefined {
  if (settings.max === 0) return undefined;
  const limiter = createLimiter(settings, 'carthub:rate');
  const storeFailed = storeFailureLog(logger);
  return async (ctx, next) => {
    if (EXEMPT.test(ctx.path)) return next();
    let result: RateLimiterRes;
    try {
      result = await limiter.consume(ctx.ip);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) {
        storeFailed(outcome);
        return next();
      }
      setHeaders(ctx, settings.max, outcome);
      ctx.set('Retry-After', String(Math.max(1, Math.ceil(outcome.msBeforeNext / 1000))));
      throw new HttpError(429, 'RATE_LIMITED', 'Too many requests; slow down and retry after the time in Retry-After');
    }
    setHeaders(ctx, settings.max, result);
    await next();
  };
}

/** Counts per key in a fixed window: in Redis when given (shared by every replica), else in this process. */
export function createLimiter({ max, windowMs, redis }: RateLimitSettings, keyPrefix: string): RateLimiterAbstract {
  const options = { points: max, duration: Math.max(1, Math.ceil(windowMs / 1000)), keyPrefix };
  return redis
    ? new RateLimiterRedis({ ...options, storeClient: redis, useRedisPackage: false })
    : new RateLimiterMemory(options);
}

/** Logs a failing counter store at most every 10 s: limits then let requests through rather than refuse everyone. */
export function storeFailureLog(logger: Logger): (error: unknown) => void {
  let lastWarning = 0;
  return (error) => {
    if (Date.now() - lastWarning <= 10_000) return;
    lastWarning = Date.now();
    logger.warn({ err: error }, 'rate limiter store unavailable; letting requests through');
  };
}

function setHeaders(ctx: Context, max: number, result: RateLimiterRes): void {
  ctx.set({
    'RateLimit-Limit': String(max),
    'RateLimit-Remaining': String(Math.max(0, result.remainingPoints)),
    'RateLimit-Reset': String(Math.ceil(result.msBeforeNext / 1000)),
  });
}
