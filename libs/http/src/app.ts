import Koa from 'koa';
import Router from '@koa/router';
import { CartService, CheckoutService } from '@carthub/domain';
import { cartRoutes } from './cart/routes';
import { Logger } from './logger';
import { accessLog } from './middleware/access-log';
import { errorResponses } from './middleware/error-responses';
import { jsonBody } from './middleware/json-body';
import { requestId } from './middleware/request-id';
import { securityHeaders } from './middleware/security-headers';
import { orderRoutes } from './orders/routes';
import { HealthChecks, systemRoutes } from './system/routes';

export interface AppDependencies {
  readonly carts: CartService;
  readonly orders: CheckoutService;
  readonly health: HealthChecks;
  readonly logger: Logger;
  /** Largest request body accepted, in bytes (413 above it). */
  readonly bodyLimitBytes: number;
}

/** Builds the Koa application; listening, signals and wiring stay with the caller. */
export function createApp(deps: AppDependencies): Koa {
  const app = new Koa();
  // Every error is answered and logged by errorResponses; Koa's own printing would only duplicate it.
  app.silent = true;

  const router = new Router();
  systemRoutes(router, deps.health);
  const parseJson = jsonBody(deps.bodyLimitBytes);
  orderRoutes(router, deps.orders, parseJson);
  cartRoutes(router, deps.carts, parseJson);

  app.use(requestId());
  app.use(accessLog(deps.logger));
  app.use(securityHeaders());
  app.use(errorResponses(deps.logger));
  app.use(rememberRoute());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** Keeps the matched route pattern (not the raw path) for logs and metrics. */
function rememberRoute(): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      ctx.state['route'] = ctx['_matchedRoute'] ?? null;
    }
  };
}
