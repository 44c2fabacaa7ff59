import Router from '@koa/router';
import Joi from 'joi';
import { Context, Middleware } from 'koa';
import { Access, assertAccessChecked, assertActsFor, establishAccess } from '../auth/access';
import { Authenticator } from '../auth/authenticate';
import { validate } from '../validation';

export type Method = 'get' | 'post' | 'put' | 'delete';

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: Joi.Schema;
  /** Response headers worth documenting, by name. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a route accepts; each part is validated before the handler runs, and documented from the same schema. */
export interface RequestSpec {
  readonly params?: Joi.ObjectSchema;
  readonly query?: Joi.ObjectSchema;
  readonly body?: Joi.Schema;
  /** Headers by their canonical name; each is optional unless its schema says required. */
  readonly headers?: Readonly<Record<string, Joi.Schema>>;
}

export interface RouteInput {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route narrows what its own schemas produce
  readonly params: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly query: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface Route {
  readonly method: Method;
  /** Koa-router pattern, e.g. /api/v1/cart/:customer_id. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly request?: RequestSpec;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** With authentication on, a customer route needs a token for the customer it acts for. */
  readonly access: Access;
  /**
   * Names the customer the request acts for, checked before the handler runs.
   * A customer route without it must call assertActsFor itself (once it knows the owner).
   */
  readonly customerOf?: (input: RouteInput) => string;
  handle(ctx: Context, input: RouteInput): Promise<void> | void;
}

export interface RouteMounting {
  readonly jsonBody: Middleware;
  /** Absent when authentication is off. */
  readonly authenticator?: Authenticator;
}

/**
 * Registers routes on the router: authenticate the caller (each route for
 * itself, never by path prefix), read the body, validate every declared part,
 * check the caller acts for that customer, handle.
 */
export function mountRoutes(
  router: Router,
  routes: readonly Route[],
  { jsonBody, authenticator }: RouteMounting,
): void {
  for (const route of routes) {
    const request = labelHeaders(route.request ?? {});
    const authenticate: Middleware = async (ctx, next) => {
      await establishAccess(ctx, route.access, authenticator);
      await next();
    };
    const handler: Middleware = async (ctx) => {
      const input = readInput(ctx, request);
      if (route.customerOf) assertActsFor(ctx, route.customerOf(input));
      await route.handle(ctx, input);
      assertAccessChecked(ctx);
    };
    const steps = route.request?.body ? [authenticate, jsonBody, handler] : [authenticate, handler];
    router[route.method](route.path, ...steps);
  }
}

/** Names each header schema after its header once, at start-up, so messages say "Idempotency-Key …". */
function labelHeaders(request: RequestSpec): RequestSpec {
  if (!request.headers) return request;
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, schema]) => [name, schema.label(name)]),
  );
  return { ...request, headers };
}

function readInput(ctx: Context, request: RequestSpec): RouteInput {
  const headers: Record<string, string | undefined> = {};
  for (const [name, schema] of Object.entries(request.headers ?? {})) {
    const raw = ctx.get(name);
    headers[name] = raw === '' && schema.$_getFlag('presence') !== 'required' ? undefined : validate(schema, raw, name);
  }
  return {
    params: request.params ? validate(request.params, ctx.params, 'path') : {},
    query: request.query ? validate(request.query, ctx.query, 'query') : {},
    body: request.body ? validate(request.body, ctx.request.body, 'body') : undefined,
    headers,
  };
}
