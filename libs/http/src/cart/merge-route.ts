import { Context } from 'koa';
import { CartChange, CartService, isGuestId } from '@carthub/domain';
import { HttpError } from '../errors';
import { InvalidTokenError, TokenVerifier } from '../auth/authenticate';
import { Metrics } from '../observability/metrics';
import { bodyErrors, catalogUnavailable, commonErrors, error } from '../responses';
import { defineRoute, Route } from '../routing/route';
import { versionTag } from './preconditions';
import { mutationResult } from './representation';
import { mutationResultSchema } from './representation-schemas';
import { customerParams, mergeBody } from './schemas';

export interface MergeRouteSettings {
  readonly currency: string;
  /** Set when authentication is on: the source cart must be proven by a token of its own. */
  readonly verifyToken?: TokenVerifier;
}

/** POST /cart/{customer_id}/merge: the source cart's lines move into the target, atomically. */
export function mergeRoute(carts: CartService, metrics: Metrics, settings: MergeRouteSettings): Route {
  return defineRoute({
    method: 'post',
    path: '/api/v1/cart/:customer_id/merge',
    operationId: 'mergeCarts',
    summary:
      "Merge another cart (a guest's, usually) into this one; limits and products no longer sold are reported as warnings",
    tag: 'cart',
    access: 'customer',
    request: { params: customerParams, body: mergeBody },
    responses: {
      200: { description: 'the target cart after the merge (a repeat changes nothing)', schema: mutationResultSchema },
      ...bodyErrors,
      ...commonErrors,
      403: error('FORBIDDEN: the caller may not act for the target, or source_token does not prove the source'),
      422: error('VALIDATION_FAILED: a field is invalid, or the source is the target'),
      503: catalogUnavailable,
    },
    customerOf: ({ params }) => params.customer_id,
    async handle(ctx, { params, body }) {
      if (settings.verifyToken) await proveSource(settings.verifyToken, body.source_customer_id, body.source_token);
      const change = await carts.mergeCarts({
        customerId: params.customer_id,
        sourceCustomerId: body.source_customer_id,
        strategy: body.strategy,
      });
      if (change.merged) metrics.cartsMerged.inc();
      answer(ctx, change.merged ? 'Carts merged' : 'Nothing to merge', change, settings.currency);
    },
  });
}

function answer(ctx: Context, message: string, change: CartChange, currency: string) {
  ctx.set('ETag', versionTag(change.cart.version));
  ctx.body = mutationResult(message, change, currency);
}

/**
 * The caller proves the source is theirs with its token. Every failure is
 * 403, not 401: the caller's own bearer token is fine, so a client must not
 * read this as "sign in again".
 */
async function proveSource(verify: TokenVerifier, sourceId: string, token: string | undefined): Promise<void> {
  if (!token) throw sourceNotProven('source_token is required to merge another cart');
  const principal = await verify(token).catch((error) => {
    throw error instanceof InvalidTokenError ? sourceNotProven(`source_token: ${error.message}`) : error;
  });
  // As everywhere, a guest id is only ever proven by that guest's own token.
  if (principal.subject !== sourceId || principal.guest !== isGuestId(sourceId))
    throw sourceNotProven('source_token is not the source cart’s');
}

function sourceNotProven(message: string): HttpError {
  return new HttpError(403, 'FORBIDDEN', message);
}
