import cors from '@koa/cors';
import { Middleware } from 'koa';

/**
 * CORS for the listed origins only. Credentials are allowed for listed
 * origins, never together with a wildcard; with no origins, no CORS headers.
 */
export function corsFor(origins: readonly string[]): Middleware | undefined {
  if (origins.length === 0) return undefined;
  const anyOrigin = origins.includes('*');
  return cors({
    origin: (ctx) => (anyOrigin ? '*' : origins.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    credentials: !anyOrigin,
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowHeaders: ['Content-Type', 'Authorization', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id'],
    exposeHeaders: [
      'ETag',
      'Location',
      'X-Request-Id',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'Idempotent-Replayed',
    ],
    maxAge: 600,
  });
}
