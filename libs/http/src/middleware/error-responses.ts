import { Context } from 'koa';
import { HttpError, toHttpError } from '../errors';
import { Logger } from '../logger';

/**
 * The router answers a method it has no route for at all (TRACE, PROPFIND…) with 501 and the
 * path's methods in Allow: to the contract that is a known path's 405, or an unknown path's 404.
 * Throws the contract's error for a request no route answered.
 */
export function refuseUnrouted(ctx: Context): void {
  if (ctx.body !== undefined || (ctx.status !== 404 && ctx.status !== 405 && ctx.status !== 501)) return;
  const knownPath = ctx.response.get('Allow') !== '';
  if (ctx.status === 404 || (ctx.status === 501 && !knownPath)) {
    throw new HttpError(404, 'NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
  }
  throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed here; use ${ctx.response.get('Allow')}`);
}

/**
 * The one place errors become responses: contract codes and messages for
 * everything expected, a bare 500 (logged with the request id) for the rest.
 */
export function respondWithError(ctx: Context, thrown: unknown, logger: Logger): void {
  const known = toHttpError(thrown);
  if (!known) logger.error({ err: thrown, request_id: ctx.state['requestId'] }, 'request failed');
  const error = known ?? new HttpError(500, 'INTERNAL_ERROR', 'Something went wrong on our side');
  ctx.status = error.status;
  if (error.status === 503) ctx.set('Retry-After', '1');
  if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(error.retryAfterSeconds));
  ctx.body = {
    success: false,
    error: error.message,
    code: error.code,
    ...(error.details?.length ? { details: error.details } : {}),
    ...error.extra,
    request_id: ctx.state['requestId'],
  };
}
