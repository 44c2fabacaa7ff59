import { randomUUID } from 'node:crypto';
import { Middleware } from 'koa';

const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Takes the caller's X-Request-Id when it is sane, else makes one; echoes it and keeps it for logs and errors. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    ctx.state['requestId'] = SANE_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', ctx.state['requestId']);
    await next();
  };
}
