import { Middleware } from 'koa';
import { Logger } from '../logger';
import { Metrics } from '../observability/metrics';
import { logRequest } from './access-log';
import { refuseUnrouted, respondWithError } from './error-responses';
import { requestIdOf } from './request-id';
import { securityHeadersFor } from './security-headers';
import { serializeBody } from './serialize-json';
import { closeUnreadConnection } from './unread-body';

/**
 * What every request passes through on its way in and out, as one step: a
 * chain of small middleware costs a promise, a closure and a dispatch each per
 * request. In: the request id and the security headers. Out: the contract's
 * answer for errors and unrouted requests, the body as JSON text, the
 * connection's end when the request's body was left unread, then one
 * access-log line and the request's duration by route pattern (never the raw
 * path, which would explode the series).
 */
export function requestEdge(logger: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const requestId = requestIdOf(ctx);
    ctx.state['requestId'] = requestId;
    ctx.set('X-Request-Id', requestId);
    ctx.set(securityHeadersFor(ctx.path));
    try {
      await next();
      refuseUnrouted(ctx);
      serializeBody(ctx);
    } catch (thrown) {
      respondWithError(ctx, thrown, logger);
      serializeBody(ctx);
    }
    if (!ctx.req.complete) closeUnreadConnection(ctx);
    const route: string | null = ctx['_matchedRoute'] ?? null;
    const elapsedMs = performance.now() - started;
    logRequest(logger, ctx, route, elapsedMs);
    metrics.observeRequest(ctx.method, route ?? 'unmatched', ctx.status, elapsedMs / 1000);
  };
}
