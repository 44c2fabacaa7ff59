import { Context } from 'koa';
import { Logger } from '../logger';

/** One line per request, after it is answered: never bodies, headers or query strings. */
export function logRequest(logger: Logger, ctx: Context, route: string | null, durationMs: number): void {
  logger.info(
    {
      method: ctx.method,
      route,
      path: ctx.path,
      status: ctx.status,
      duration_ms: durationMs,
      request_id: ctx.state['requestId'],
    },
    'request',
  );
}
