import { randomUUID } from 'node:crypto';
import { Context } from 'koa';

const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's X-Request-Id when it is sane, else a new one. */
export function requestIdOf(ctx: Context): string {
  const given = ctx.get('X-Request-Id');
  return SANE_REQUEST_ID.test(given) ? given : randomUUID();
}
