import { setTimeout as delay } from 'node:timers/promises';
import { ExponentialBackoff, IBackoff } from 'cockatiel';

/** Waits that double (with jitter) after each failure up to a cap, and start over after a success. */
export class RetryDelay {
  private readonly factory: ExponentialBackoff<unknown>;
  private current?: IBackoff<unknown>;

  constructor(maxDelayMs: number, initialDelayMs = Math.min(100, maxDelayMs)) {
    this.factory = new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs });
  }

  /** The wait before the next attempt. */
  next(): number {
    this.current = this.current ? this.current.next(undefined) : this.factory.next();
    return this.current.duration;
  }

  reset(): void {
    this.current = undefined;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
