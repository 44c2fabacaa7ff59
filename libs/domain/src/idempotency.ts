/** A request that carries an Idempotency-Key: the same key with another body is refused. */
export interface IdempotentRequest {
  readonly key: string;
  /** A hash of the request body. */
  readonly fingerprint: string;
}

/**
 * What a key already stored says about a request carrying it, when that
 * request may not take it: the order its first request placed (answering
 * again is the caller's job, from that order), a first request still running,
 * or a different request.
 */
export type EarlierRequest =
  | { readonly outcome: 'completed'; readonly orderId: string }
  | { readonly outcome: 'in-progress' }
  | { readonly outcome: 'different-request' };
