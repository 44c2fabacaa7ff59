import { Middleware } from 'koa';
import { Logger } from '../logger';

/** One line per request, after it is answered: never bodies, headers or query strings. */
export function accessLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      logger.info(
        {
          method: ctx.method,
          route: ctx.state['route'] ?? null,
          path: ctx.path,
          status: ctx.status,
          duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
          request_id: ctx.state['requestId'],
        },
        'request',
      );
    }
  };
}
