import Koa from 'koa';
import { Logger } from '../logger';
import { RouteInput } from '../routing/route';
import { HealthChecks, systemRoutes } from '../system/routes';
import { Metrics } from './metrics';

const PROBES = ['/health/live', '/health/ready'];
const NO_INPUT: RouteInput = { params: {}, query: {}, body: undefined, headers: {} };

/**
 * GET /metrics for Prometheus, on a listener of its own: the public port
 * never serves it, so scrapes stay inside the cluster and a flood of them
 * cannot reach the API's clients. With health checks, it also answers the
 * liveness and readiness probes as the public port does, so clients holding
 * every public connection cannot make a healthy pod fail its probes.
 */
export function createMetricsApp(metrics: Metrics, logger: Logger, health?: HealthChecks): Koa {
  const probes = health ? systemRoutes(health).filter((route) => PROBES.includes(route.path)) : [];
  const app = new Koa();
  app.silent = true;
  app.on('error', (error: unknown) => logger.error({ err: error }, 'metrics scrape failed'));
  app.use(async (ctx) => {
    const probe = probes.find((route) => route.path === ctx.path);
    if (ctx.path !== '/metrics' && !probe) return;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    if (probe) return probe.handle(ctx, NO_INPUT);
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return app;
}
