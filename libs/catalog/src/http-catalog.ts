import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  IPolicy,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  timeout,
  wrap,
} from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { CatalogProduct, CatalogUnavailableError, DEFAULT_CART_LIMITS, PriceSource } from '@carthub/domain';
import { LookupAnswer, MalformedAnswerError, readLookupAnswer } from './catalog-answer';
import { readCappedBody, ResponseTooLargeError } from './capped-body';

/** How one call to the catalog ended; `rejected` means the open breaker answered without calling. */
export type CatalogRequestOutcome = 'ok' | 'error' | 'timeout' | 'rejected';
export type CatalogBreakerState = 'closed' | 'open' | 'half_open';

/** Hooks for metrics, so this library needs no metrics client of its own. */
export interface CatalogObserver {
  request(outcome: CatalogRequestOutcome): void;
  /** Once per product id answered from the cache. */
  cacheHit(): void;
  /** Once per product id the cache did not hold (only when the cache is read: not with `fresh`). */
  cacheMiss(): void;
  /** On every change of the breaker's state, and once at construction ('closed'). */
  breakerState(state: CatalogBreakerState): void;
  /**
   * A product the catalog described in a way this service cannot use (a name too long, a price
   * with three decimals, …): it reads as unavailable, and the call still counts as a success.
   */
  unusableProduct(productId: string, problem: string): void;
}

export interface HttpCatalogOptions {
  /** Base URL of the catalog (CATALOG_URL); lookups go to `{url}/products/lookup`. */
  readonly url: string;
  /** The service's CURRENCY; a product priced in another currency reads as inactive. */
  readonly currency: string;
  /** Per call, in milliseconds (CATALOG_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** How long a product stays cached, in milliseconds; 0 turns the cache off (CATALOG_CACHE_TTL_MS). */
  readonly cacheTtlMs?: number;
  /** Most products the cache holds; the least recently used go first. */
  readonly cacheMaxEntries?: number;
  /** Consecutive failed calls that open the breaker (CATALOG_BREAKER_FAILURES). */
  readonly breakerFailures?: number;
  /** How long the breaker stays open before one call may try again, in milliseconds (CATALOG_BREAKER_RESET_MS). */
  readonly breakerResetMs?: number;
  /** The largest answer read; a longer one is cut off and counts as a failure (CATALOG_MAX_RESPONSE_BYTES). */
  readonly maxResponseBytes?: number;
  readonly observer?: CatalogObserver;
}

/**
 * Room for one product in an answer: its contract fields take at most about
 * 2 KiB (a 255-character name, escaped), the rest is for fields the catalog
 * may add. A lookup asks for at most one cart's lines.
 */
export const CATALOG_ANSWER_BYTES_PER_PRODUCT = 8 * 1024;

/** The answer cap for lookups of up to `maxIds` products (a cart's CART_MAX_ITEMS). */
export function catalogAnswerCap(maxIds: number): number {
  return maxIds * CATALOG_ANSWER_BYTES_PER_PRODUCT;
}

export const HTTP_CATALOG_DEFAULTS = {
  timeoutMs: 300,
  cacheTtlMs: 30_000,
  cacheMaxEntries: 10_000,
  breakerFailures: 5,
  breakerResetMs: 5_000,
  maxResponseBytes: catalogAnswerCap(DEFAULT_CART_LIMITS.maxItems),
};

const RETRY_AFTER_MS = 1_000;

const BREAKER_STATES: Record<CircuitState, CatalogBreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

class UnexpectedStatusError extends Error {}

/**
 * The shop's catalog over HTTP: one `POST /products/lookup` per lookup at most,
 * a per-call timeout, a cap on the answer's size, no redirects, a circuit
 * breaker, and a bounded cache by product id. Unknown ids are not cached, so a
 * product added to the catalog is found at once. Only a failed call counts
 * toward the breaker: one malformed product reads as unavailable, so no
 * shopper can open the breaker for everyone by asking for it.
 */
export class HttpCatalog implements PriceSource {
  private readonly lookupUrl: URL;
  private readonly currency: string;
  private readonly timeoutMs: number;
  private readonly breakerResetMs: number;
  private readonly maxResponseBytes: number;
  private readonly cache: LRUCache<string, CatalogProduct> | undefined;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policy: IPolicy<{ signal: AbortSignal }>;
  private readonly observer: CatalogObserver | undefined;
  private openedAt = 0;

  constructor(options: HttpCatalogOptions) {
    const settings = { ...HTTP_CATALOG_DEFAULTS, ...withoutUndefined(options) };
    this.lookupUrl = lookupUrl(options.url);
    this.currency = readCurrencyCode(options.currency);
    this.timeoutMs = positiveInteger('timeoutMs', settings.timeoutMs);
    this.breakerResetMs = positiveInteger('breakerResetMs', settings.breakerResetMs);
    this.maxResponseBytes = positiveInteger('maxResponseBytes', settings.maxResponseBytes);
    const cacheTtlMs = nonNegativeInteger('cacheTtlMs', settings.cacheTtlMs);
    this.cache =
      cacheTtlMs === 0
        ? undefined
        : new LRUCache({ max: positiveInteger('cacheMaxEntries', settings.cacheMaxEntries), ttl: cacheTtlMs });
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: this.breakerResetMs,
      breaker: new ConsecutiveBreaker(positiveInteger('breakerFailures', settings.breakerFailures)),
    });
    this.policy = wrap(this.breaker, timeout(this.timeoutMs, TimeoutStrategy.Aggressive));
    this.observer = options.observer;
    this.breaker.onBreak(() => (this.openedAt = Date.now()));
    this.breaker.onStateChange((state) => this.observer?.breakerState(BREAKER_STATES[state]));
    this.observer?.breakerState('closed');
  }

  async lookup(
    productIds: readonly string[],
    { fresh }: { readonly fresh: boolean },
  ): Promise<Map<string, CatalogProduct>> {
    const found = new Map<string, CatalogProduct>();
    const ids = [...new Set(productIds)];
    const missing = fresh ? ids : ids.filter((id) => !this.takeFromCache(id, found));
    if (missing.length === 0) return found;
    const answered = await this.ask(missing);
    for (const id of missing) {
      const product = answered.products.get(id);
      if (product) {
        found.set(id, product);
        this.cache?.set(id, product);
      } else {
        this.cache?.delete(id);
      }
    }
    return found;
  }

  private takeFromCache(id: string, found: Map<string, CatalogProduct>): boolean {
    if (!this.cache) return false;
    const product = this.cache.get(id);
    if (product) {
      found.set(id, product);
      this.observer?.cacheHit();
    } else {
      this.observer?.cacheMiss();
    }
    return product !== undefined;
  }

  private async ask(ids: readonly string[]): Promise<LookupAnswer> {
    try {
      const answer = await this.policy.execute(({ signal }) => this.post(ids, signal));
      this.observer?.request('ok');
      for (const { productId, problem } of answer.unusable) this.observer?.unusableProduct(productId, problem);
      return answer;
    } catch (error) {
      this.observer?.request(outcomeOf(error));
      throw new CatalogUnavailableError(this.reasonOf(error), this.retryAfterMs(), error);
    }
  }

  private async post(ids: readonly string[], signal: AbortSignal): Promise<LookupAnswer> {
    const response = await fetch(this.lookupUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ids }),
      // Only CATALOG_URL is trusted: an answer from wherever a redirect points is not the catalog's.
      redirect: 'manual',
      signal,
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
      throw new UnexpectedStatusError(`it answered HTTP ${response.status}${redirect}`);
    }
    return readLookupAnswer(await readCappedBody(response, this.maxResponseBytes), this.currency);
  }

  /** While the breaker is open, asking again makes sense once it lets a call through. */
  private retryAfterMs(): number {
    if (this.breaker.state !== CircuitState.Open) return RETRY_AFTER_MS;
    return Math.max(1, this.openedAt + this.breakerResetMs - Date.now());
  }

  private reasonOf(error: unknown): string {
    if (error instanceof BrokenCircuitError) return 'the circuit breaker is open after repeated failures';
    if (error instanceof TaskCancelledError) return `no answer within ${this.timeoutMs} ms`;
    if (error instanceof MalformedAnswerError) return `malformed answer: ${error.message}`;
    if (error instanceof UnexpectedStatusError || error instanceof ResponseTooLargeError) return error.message;
    return `unreachable (${networkCause(error)})`;
  }
}

function outcomeOf(error: unknown): CatalogRequestOutcome {
  if (error instanceof BrokenCircuitError) return 'rejected';
  if (error instanceof TaskCancelledError) return 'timeout';
  return 'error';
}

/**
 * fetch reports a refused connection as TypeError("fetch failed") with the system error as its cause.
 * Read by property, not instanceof: the error may come from another realm (a test sandbox).
 */
function networkCause(error: unknown): string {
  const cause = property(error, 'cause');
  const code = property(cause, 'code');
  if (typeof code === 'string') return code;
  const message = property(cause, 'message') ?? property(error, 'message');
  return typeof message === 'string' ? message : String(error);
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function lookupUrl(base: string): URL {
  let url: URL;
  try {
    url = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new TypeError(`HttpCatalog: url must be an absolute http(s) URL, got ${JSON.stringify(base)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`HttpCatalog: url must be an http(s) URL, got ${JSON.stringify(base)}`);
  }
  return new URL('products/lookup', url);
}

function readCurrencyCode(currency: string): string {
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code))
    throw new RangeError(`HttpCatalog: currency must be an ISO 4217 code, got ${JSON.stringify(currency)}`);
  return code;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`HttpCatalog: ${name} must be an integer ≥ 1, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`HttpCatalog: ${name} must be an integer ≥ 0, got ${value}`);
  return value;
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
