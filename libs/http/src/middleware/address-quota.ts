import { Context } from 'koa';
import type { Redis } from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '../errors';
import { Logger } from '../logger';
import { createLimiter, storeFailureLog } from './rate-limit';

export interface QuotaSettings {
  /** How many one client address may have per window; 0 turns the quota off. */
  readonly max: number;
  readonly windowMs: number;
}

/** What one client address may create, whatever customer ids it acts for (see README "Limits and quotas"). */
export interface AddressQuotaSettings {
  readonly guestSessions?: QuotaSettings;
  readonly checkouts?: QuotaSettings;
  /** Shared counters across replicas; without it each process counts on its own. */
  readonly redis?: Redis;
}

/**
 * One unit of a client address's budget per thing created. The unit is taken before the work (so
 * requests racing from one address cannot pass the limit together) and given back when the work
 * created nothing. The address is `ctx.ip`: the peer, or behind TRUST_PROXY the trusted
 * X-Forwarded-For entry (middleware/client-address.ts).
 */
export interface AddressQuota {
  /** Takes one unit, or throws 429 RATE_LIMITED with Retry-After; answers how to give it back. */
  take(ctx: Context): Promise<() => void>;
}

export type AddressQuotas = { readonly [Name in 'guestSessions' | 'checkouts']?: AddressQuota };

const WHAT = { guestSessions: 'guest sessions', checkouts: 'orders' } as const;

export function addressQuotas(settings: AddressQuotaSettings, logger: Logger): AddressQuotas {
  const storeFailed = storeFailureLog(logger);
  const quota = (name: keyof typeof WHAT): AddressQuota | undefined => {
    const limits = settings[name];
    if (!limits || limits.max === 0) return undefined;
    const limiter = createLimiter({ ...limits, redis: settings.redis }, `carthub:${name}`);
    const refusal = `Too many ${WHAT[name]} from this address; retry after the time in Retry-After`;
    return {
      async take(ctx) {
        const key = ctx.ip;
        try {
          await limiter.consume(key);
        } catch (outcome) {
          if (!(outcome instanceof RateLimiterRes)) {
            storeFailed(outcome);
            return () => undefined;
          }
          const retryAfterSeconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
          throw new HttpError(429, 'RATE_LIMITED', refusal, undefined, retryAfterSeconds);
        }
        return () => void limiter.reward(key, 1).catch(storeFailed);
      },
    };
  };
  return { guestSessions: quota('guestSessions'), checkouts: quota('checkouts') };
}
