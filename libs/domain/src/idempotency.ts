/** A request that carries an Idempotency-Key: the same key with another body is refused. */
export interface IdempotentRequest {
  readonly key: string;
  /** A hash of the request body. */
  readonly fingerprint: string;
}

/**
 * What a key says about a request. A completed key names the order its first
 * request placed; answering again is the caller's job, from that order.
 */
export type IdempotencyClaim =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'completed'; readonly orderId: string }
  | { readonly outcome: 'in-progress' }
  | { readonly outcome: 'different-request' };

/** Idempotency keys, shared by every replica, scoped to one customer. */
export interface IdempotencyStore {
  /** Marks the key as in flight for this request, or says why it cannot be. */
  claim(customerId: string, request: IdempotentRequest): Promise<IdempotencyClaim>;
  /** Forgets an in-flight key whose request failed, so that it can be retried. */
  release(customerId: string, request: IdempotentRequest): Promise<void>;
}
