import Router from '@koa/router';
import Joi from 'joi';
import { Context, Middleware } from 'koa';
import { Access, assertAccessChecked, assertActsFor, assertOperator, establishAccess } from '../auth/access';
import { Authenticator } from '../auth/authenticate';
import { BodyReader, RawBodyCheck } from '../middleware/json-body';
import { refuseBody } from '../middleware/unread-body';
import { validate } from '../validation';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A response header: what it says, and its JSON Schema (a string unless told). */
export interface HeaderSpec {
  readonly description: string;
  readonly schema?: Readonly<Record<string, unknown>>;
  /** Sent with every response of this status. */
  readonly required?: boolean;
}

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: Joi.Schema;
  /** Response headers worth documenting, by name: a description, or the whole header. */
  readonly headers?: Readonly<Record<string, string | HeaderSpec>>;
}

/**
 * What a route accepts; each part is validated before the handler runs, and
 * documented from the same schema. The handler's input is typed by these
 * schemas' own type parameters, so a handler cannot read what its schemas do
 * not declare.
 */
export interface RequestSpec<P = unknown, Q = unknown, B = unknown, H = unknown> {
  readonly params?: Joi.ObjectSchema<P>;
  readonly query?: Joi.ObjectSchema<Q>;
  readonly body?: Joi.Schema<B>;
  /** Headers by their canonical name; each is optional unless its schema says required. */
  readonly headers?: { readonly [Name in keyof H]: Joi.Schema<H[Name]> };
}

export interface RouteInput<P = unknown, Q = unknown, B = unknown, H = unknown> {
  readonly params: P;
  readonly query: Q;
  /** Undefined only where the body schema allows no body. */
  readonly body: B;
  /** Undefined for a header the request did not send. */
  readonly headers: { readonly [Name in keyof H]?: H[Name] };
}

export interface Route<P = unknown, Q = unknown, B = unknown, H = unknown> {
  readonly method: Method;
  /** Koa-router pattern, e.g. /api/v1/cart/:customer_id. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly request?: RequestSpec<P, Q, B, H>;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** With authentication on, a customer route needs a token for the customer it acts for. */
  readonly access: Access;
  /**
   * Authenticates the request by its body's bytes as they arrived (a webhook's
   * signature), before they are parsed or validated. Only for routes with a body.
   */
  readonly verifyRawBody?: RawBodyCheck;
  /**
   * Names the customer the request acts for, checked before the handler runs.
   * A customer route without it must call assertActsFor itself (once it knows the owner).
   */
  customerOf?(input: RouteInput<P, Q, B, H>): string;
  handle(ctx: Context, input: RouteInput<P, Q, B, H>): Promise<void> | void;
}

/** A route whose handler is typed by its own schemas (the type parameters are inferred from `request`). */
export function defineRoute<P = object, Q = object, B = undefined, H = object>(route: Route<P, Q, B, H>): Route {
  return route as Route;
}

export interface RouteMounting {
  readonly jsonBody: BodyReader;
  /** Absent when authentication is off. */
  readonly authenticator?: Authenticator;
}

/**
 * Registers routes on the router: authenticate the caller (each route for
 * itself, never by path prefix), read the body (or refuse one where the route
 * takes none), validate every declared part,
 * check the caller acts for that customer, handle.
 */
export function mountRoutes(
  router: Router,
  routes: readonly Route[],
  { jsonBody, authenticator }: RouteMounting,
): void {
  for (const route of routes) {
    const request = labelHeaders(route.request ?? {});
    const headers = Object.entries<Joi.Schema>(request.headers ?? {});
    const readsBody = route.request?.body !== undefined;
    // One step per route, not a chain of three: each step of a chain costs a promise and a dispatch per request.
    const step: Middleware = async (ctx) => {
      const authenticating = establishAccess(ctx, route.access, authenticator);
      if (authenticating) await authenticating;
      if (readsBody) await jsonBody(ctx, route.verifyRawBody);
      else {
        const refusing = refuseBody(ctx);
        if (refusing) await refusing;
      }
      const input = readInput(ctx, request, headers);
      if (route.customerOf) assertActsFor(ctx, route.customerOf(input));
      if (route.access === 'operator') assertOperator(ctx);
      await route.handle(ctx, input);
      assertAccessChecked(ctx);
    };
    router[route.method](route.path, step);
  }
}

/** Names each header schema after its header once, at start-up, so messages say "Idempotency-Key …". */
function labelHeaders(request: RequestSpec): RequestSpec {
  if (!request.headers) return request;
  const headers = Object.fromEntries(
    Object.entries<Joi.Schema>(request.headers).map(([name, schema]) => [name, schema.label(name)]),
  );
  return { ...request, headers };
}

function readInput(ctx: Context, request: RequestSpec, headerSchemas: readonly [string, Joi.Schema][]): RouteInput {
  const headers: Record<string, unknown> = {};
  for (const [name, schema] of headerSchemas) {
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
