import Koa from 'koa';
import { Logger } from '../logger';
import { Metrics } from './metrics';

/**
 * GET /metrics for Prometheus, on a listener of its own: the public port
 * never serves it, so scrapes stay inside the cluster and a flood of them
 * cannot reach the API's clients.
 */
export function createMetricsApp(metrics: Metrics, logger: Logger): Koa {
  const app = new Koa();
  app.silent = true;
  app.on('error', (error: unknown) => logger.error({ err: error }, 'metrics scrape failed'));
  app.use(async (ctx) => {
    if (ctx.path !== '/metrics') return;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return app;
}
