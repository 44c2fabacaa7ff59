import Koa from 'koa';
import Router from '@koa/router';
import compress from 'koa-compress';
import { constants } from 'node:zlib';
import {
  CartService,
  CheckoutService,
  DEFAULT_CURRENCY,
  DiscountCodeService,
  OrderLifecycle,
  StockStore,
} from '@carthub/domain';
import { cartDiscountCodeRoutes, discountCodeRoutes } from './discounts/routes';
import { AuthSettings, createAuthenticator, createTokenVerifier, TokenVerifier } from './auth/authenticate';
import { GuestSettings, guestTokens, GuestTokens } from './auth/guest-tokens';
import { cartRoutes } from './cart/routes';
import { mergeRoute } from './cart/merge-route';
import { PriceSourceKind } from './cart/schemas';
import { guestRoutes } from './guests/routes';
import { docsRoutes } from './docs/docs-routes';
import { Logger } from './logger';
import { addressQuotas, AddressQuotas, AddressQuotaSettings } from './middleware/address-quota';
import { clientAddress } from './middleware/client-address';
import { corsFor } from './middleware/cors';
import { requestEdge } from './middleware/edge';
import { jsonBody } from './middleware/json-body';
import { rateLimit, RateLimitSettings } from './middleware/rate-limit';
import { Metrics } from './observability/metrics';
import { orderLifecycleRoutes } from './orders/lifecycle-routes';
import { orderRoutes } from './orders/routes';
import { paymentWebhookRoute } from './payments/webhook-route';
import { openApiDocument } from './routing/openapi';
import { mountRoutes, Route } from './routing/route';
import { HealthChecks, systemRoutes } from './system/routes';
import { stockRoutes } from './stock/routes';

export interface HttpSettings {
  /** Largest request body accepted, in bytes (413 above it). */
  readonly bodyLimitBytes: number;
  readonly corsOrigins?: readonly string[];
  readonly rateLimit?: RateLimitSettings;
  /** Guest sessions and orders per client address (none: unlimited). */
  readonly addressQuotas?: AddressQuotaSettings;
  readonly auth?: AuthSettings;
  readonly guests?: GuestSettings;
  /** Take the client address from X-Forwarded-For (behind a load balancer that sets it). */
  readonly trustProxy?: boolean;
  /** With trustProxy: how many proxies append to X-Forwarded-For; the client is that many entries from the right (default 1). */
  readonly trustedProxyHops?: number;
  /** ISO 4217 code carts are priced in (default USD). */
  readonly currency?: string;
  /** Where names and prices come from (default client: as 2.0.0, whatever the caller sends). */
  readonly prices?: PriceSourceKind;
  /** Key of the payment provider's webhook signatures (at least 32 bytes); unset: the webhook route answers 404. */
  readonly paymentWebhookSecret?: string;
}

export interface AppDependencies {
  readonly carts: CartService;
  readonly orders: CheckoutService;
  readonly lifecycle: OrderLifecycle;
  /** The operator's discount codes. */
  readonly discounts: DiscountCodeService;
  /** The operator's stock and the public availability (the records exist whether STOCK_TRACKING is on or off). */
  readonly stock: StockStore;
  readonly health: HealthChecks;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly settings: HttpSettings;
}

/** Every route the API serves, for the router and the OpenAPI document alike. */
export function apiRoutes(
  deps: Pick<
    AppDependencies,
    'carts' | 'orders' | 'lifecycle' | 'discounts' | 'stock' | 'health' | 'metrics' | 'settings'
  > & {
    readonly guests: GuestTokens;
    /** The one verifier of bearer tokens (one JWKS cache), also used for tokens sent in a body. */
    readonly verifyToken?: TokenVerifier;
    readonly quotas?: AddressQuotas;
  },
): Route[] {
  const cartSettings = {
    currency: deps.settings.currency ?? DEFAULT_CURRENCY,
    prices: deps.settings.prices ?? 'client',
  };
  return [
    ...systemRoutes(deps.health),
    ...guestRoutes(deps.guests, deps.quotas?.guestSessions),
    ...orderRoutes(deps.orders, deps.metrics, cartSettings.currency, deps.quotas?.checkouts),
    ...orderLifecycleRoutes(deps.lifecycle),
    paymentWebhookRoute(deps.lifecycle, deps.settings.paymentWebhookSecret),
    ...cartRoutes(deps.carts, deps.metrics, cartSettings),
    ...discountCodeRoutes(deps.discounts),
    ...cartDiscountCodeRoutes(deps.carts, cartSettings.currency),
    ...stockRoutes(deps.stock),
    mergeRoute(deps.carts, deps.metrics, {
      currency: cartSettings.currency,
      verifyToken: deps.verifyToken,
    }),
  ];
}

/** Builds the Koa application; listening, signals and wiring stay with the caller. */
export function createApp(deps: AppDependencies): Koa {
  const { settings, logger, metrics } = deps;
  const proxy = settings.trustProxy ?? false;
  const app = new Koa({ proxy, maxIpsCount: proxy ? (settings.trustedProxyHops ?? 1) : 0 });
  // Every error is answered and logged by requestEdge; Koa's own printing would only duplicate it.
  app.silent = true;

  const guests = guestTokens(settings.guests ?? {});
  const verifyToken = createTokenVerifier(settings.auth ?? {}, guests);
  const quotas = addressQuotas(settings.addressQuotas ?? {}, logger);
  const routes = apiRoutes({ ...deps, guests, verifyToken, quotas });
  // Case-sensitive, so /API/v1/… is no route at all rather than a second spelling of one.
  const router = new Router({ sensitive: true });
  mountRoutes(router, routes, {
    jsonBody: jsonBody(settings.bodyLimitBytes),
    authenticator: createAuthenticator(verifyToken),
  });
  const docsAssets = docsRoutes(router, openApiDocument(routes, { prices: settings.prices }));

  const middleware = [
    proxy && clientAddress(),
    compress({ threshold: 1024, br: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } } }),
    requestEdge(logger, metrics),
    corsFor(settings.corsOrigins ?? []),
    rateLimit(settings.rateLimit ?? { max: 0, windowMs: 60_000 }, logger),
    router.routes(),
    // After the router, so API requests never pass through it.
    docsAssets,
    router.allowedMethods(),
  ];
  for (const step of middleware) if (step) app.use(step);
  return app;
}
