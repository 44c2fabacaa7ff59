// The stack's own floor: the bare floor's handlers (floor-handlers.mjs: the same statements,
// checks and JSON, the body read from the Node request as the bare floor reads it) served
// through Koa and @koa/router (the API's framework) and nothing of the API's own, for every
// scenario. With KOA_FLOOR_FEATURES=deployed it also runs what the API runs as deployed, each
// piece with the library and settings the API uses: compression, a request id, the security
// headers, one pino line and one histogram sample per request, and the in-memory rate limiter.
// It follows the API's own edge design, so it is not a proven minimum for those features. What
// the API spends beyond it is its validation, access checks, domain and persistence code. See
// tools/bench/README.md.
//   PORT=8100 DATABASE_URL=postgres://… [KOA_FLOOR_FEATURES=deployed] node tools/bench/koa-floor.mjs
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import compress from 'koa-compress';
import pino from 'pino';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { floorHandlers, floorPool, serveUntilStopped } from './floor-handlers.mjs';

const pool = floorPool('carthub-koa-floor');
const floor = floorHandlers(pool);

/** A Koa route answering what the bare floor's handler answers. */
const route = (handler) => async (ctx) => {
  const { status, body, headers } = await handler(ctx.req, ctx.params);
  ctx.status = status;
  ctx.set(headers);
  ctx.type = 'application/json';
  ctx.body = body;
};

const router = new Router({ sensitive: true });
router.get('/api/v1/cart/:customer_id', route(floor.getCart));
router.post('/api/v1/cart/items', route(floor.addItem));
router.put('/api/v1/cart/:customer_id/items/:product_id', route(floor.setQuantity));
router.post('/api/v1/cart/checkout', route(floor.checkout));

const app = new Koa();
if (process.env.KOA_FLOOR_FEATURES === 'deployed') for (const step of deployedFeatures()) app.use(step);
app.use(router.routes());
serveUntilStopped('koa floor', http.createServer(app.callback()), pool);

function deployedFeatures() {
  const destination = pino.destination({ sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), 1000).unref();
  const logger = pino({ level: 'info', base: { service: 'koa-floor' } }, destination);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const limiter = new RateLimiterMemory({ points: 1_000_000_000, duration: 60, keyPrefix: 'koa-floor' });
  const security = {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  };
  const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;
  const edge = async (ctx, next) => {
    const started = performance.now();
    const given = ctx.get('X-Request-Id');
    const requestId = SANE_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', requestId);
    ctx.set(security);
    try {
      await next();
    } catch {
      ctx.status = 500;
      ctx.body = '{"success":false,"code":"INTERNAL_ERROR"}';
    }
    const route = ctx._matchedRoute ?? null;
    const elapsedMs = performance.now() - started;
    const { method, path, status } = ctx;
    logger.info({ method, route, path, status, duration_ms: elapsedMs, request_id: requestId }, 'request');
    requestDuration.observe({ method, route: route ?? 'unmatched', status: String(status) }, elapsedMs / 1000);
  };
  const rateLimit = async (ctx, next) => {
    const result = await limiter.consume(ctx.ip);
    ctx.set({
      'RateLimit-Limit': '1000000000',
      'RateLimit-Remaining': String(result.remainingPoints),
      'RateLimit-Reset': String(Math.ceil(result.msBeforeNext / 1000)),
    });
    await next();
  };
  return [compress({ threshold: 1024 }), edge, rateLimit];
}
