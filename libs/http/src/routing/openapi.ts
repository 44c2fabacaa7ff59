import Joi from 'joi';
import parse from 'joi-to-json';
import type { PriceSourceKind } from '../cart/schemas';
import { error, errorSchema } from '../responses';
import { API_VERSION, SERVICE_NAME } from '../system/routes';
import { DOCUMENTED_AS, JsonSchema } from './documented-as';
import { HeaderSpec, ResponseSpec, Route } from './route';

const PRICE_MODES: Record<PriceSourceKind, string> = {
  client:
    'This server runs with PRICE_SOURCE=client: an added line takes the product_name and price the caller sends ' +
    '(both required), as 2.0.0 did.',
  catalog:
    "This server runs with PRICE_SOURCE=catalog: names and prices come from the shop's catalog, so product_name " +
    'and price are optional on add (a different price is answered with a PRICE_CHANGED warning).',
};

/** Headers many responses share, documented once and referred to. */
const SHARED_HEADERS = {
  'X-Request-Id': {
    description: "the request's id: the caller's X-Request-Id when it is sane, else a new UUID",
    required: true,
    schema: { type: 'string', minLength: 1 },
  },
  'Retry-After': {
    description: 'seconds to wait before retrying',
    schema: { type: 'integer', minimum: 0 },
  },
  'RateLimit-Limit': { description: 'requests allowed per window (rate limiting on)', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'requests left in this window', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Reset': { description: 'seconds until the window resets', schema: { type: 'integer', minimum: 0 } },
};
const sharedHeader = (name: keyof typeof SHARED_HEADERS) => ({ $ref: `#/components/headers/${name}` });

/** What node answers before any route runs (protocol-errors.ts), so any operation may get it; by status. */
const REFUSED_BEFORE_ROUTING: Record<string, { name: string; description: string }> = {
  400: { name: 'MalformedRequest', description: 'BAD_REQUEST: not valid HTTP/1.1' },
  408: {
    name: 'RequestTimeout',
    description: 'REQUEST_TIMEOUT: the headers (or the body) did not arrive in time; the connection closes',
  },
  417: { name: 'ExpectationFailed', description: 'EXPECTATION_FAILED: an Expect other than 100-continue' },
  431: { name: 'HeadersTooLarge', description: 'HEADERS_TOO_LARGE: the request headers are over 16 KiB' },
};

/**
 * The OpenAPI 3.1 document, built from the very schemas that validate requests,
 * for the price mode the server runs in (it changes what an added line needs).
 */
export function openApiDocument(routes: readonly Route[], { prices = 'client' }: { prices?: PriceSourceKind } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: SERVICE_NAME,
      version: API_VERSION,
      description:
        'Carts and checkout for the Carthub shop. Money is exact: JSON numbers with at most two decimals (format ' +
        'them with two for people: 799.9 is $799.90). Every error has the Error shape; every response carries ' +
        `X-Request-Id. ${PRICE_MODES[prices]}`,
      // Not open source (package.json says UNLICENSED); SPDX names such a licence with a LicenseRef.
      license: { name: 'Proprietary', identifier: 'LicenseRef-Carthub-Proprietary' },
    },
    servers: [{ url: '/', description: 'this server' }],
    tags: [
      { name: 'cart', description: "A customer's cart" },
      { name: 'orders', description: 'Checkout and orders' },
      { name: 'guests', description: 'Guest shoppers: an unguessable id and a token of their own' },
      { name: 'system', description: 'Health and service information' },
    ],
    paths,
    components: {
      schemas: { Error: toJsonSchema(errorSchema) },
      responses: Object.fromEntries(
        Object.values(REFUSED_BEFORE_ROUTING).map(({ name, description }) => [
          name,
          { description, headers: { 'X-Request-Id': sharedHeader('X-Request-Id') }, content: errorContent() },
        ]),
      ),
      headers: SHARED_HEADERS,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'Only when the service runs with AUTH_JWT_SECRET or AUTH_JWKS_URL: the token subject must be the customer the request is about. ' +
            'An operator (scope carthub:operator) may also read any cart, order list and order, and make the operator moves of ' +
            "an order; it changes a customer's cart only with that customer's own token.",
        },
      },
    },
  };
}

const OPERATOR_READ =
  "With authentication on: the customer's own token, or an operator's (scope carthub:operator) for any customer, " +
  'so support sees what the shopper sees. A read: it changes nothing.';

// Any route that declares no body refuses one (routing/route.ts).
const bodyRefused = error('PAYLOAD_TOO_LARGE: this operation takes no request body, and one was sent');

function operation(route: Route) {
  const request = route.request ?? {};
  const responses = request.body ? route.responses : { ...route.responses, 413: bodyRefused };
  const parameters = [
    ...objectParameters(request.params, 'path'),
    ...objectParameters(request.query, 'query'),
    ...Object.entries<Joi.Schema>(request.headers ?? {}).map(([name, schema]) => ({
      name,
      in: 'header',
      required: schema.$_getFlag('presence') === 'required',
      schema: toJsonSchema(schema),
    })),
  ];
  const rateLimited = route.path.startsWith('/api/');
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.access === 'customer-or-operator-read' && { description: OPERATOR_READ }),
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    ...(parameters.length > 0 && { parameters }),
    ...(request.body && {
      requestBody: {
        required: request.body.$_getFlag('presence') === 'required',
        content: { 'application/json': { schema: toJsonSchema(request.body) } },
      },
    }),
    responses: Object.fromEntries(
      [
        ...Object.entries(REFUSED_BEFORE_ROUTING)
          .filter(([status]) => !(status in responses))
          .map(([status, { name }]) => [status, { $ref: `#/components/responses/${name}` }] as const),
        ...Object.entries(responses).map(
          ([status, response]) => [status, responseObject(Number(status), response, rateLimited)] as const,
        ),
      ].sort(([a], [b]) => Number(a) - Number(b)),
    ),
  };
}

function errorContent() {
  return { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
}

function responseObject(status: number, response: ResponseSpec, rateLimited: boolean) {
  const own = Object.entries(response.headers ?? {}).map(([name, header]) => [name, headerObject(header)]);
  const headers = {
    'X-Request-Id': sharedHeader('X-Request-Id'),
    ...(rateLimited && {
      'RateLimit-Limit': sharedHeader('RateLimit-Limit'),
      'RateLimit-Remaining': sharedHeader('RateLimit-Remaining'),
      'RateLimit-Reset': sharedHeader('RateLimit-Reset'),
    }),
    ...((status === 429 || status === 503) && { 'Retry-After': sharedHeader('Retry-After') }),
    ...Object.fromEntries(own),
  };
  return {
    description: response.description,
    headers,
    ...(response.schema && { content: { 'application/json': { schema: responseSchema(response.schema) } } }),
  };
}

/** The Error shape is written once, in components; every error answer refers to it. */
function responseSchema(schema: Joi.Schema): JsonSchema {
  return schema === errorSchema ? { $ref: '#/components/schemas/Error' } : toJsonSchema(schema);
}

function headerObject(header: string | HeaderSpec) {
  const {
    description,
    schema = { type: 'string' },
    required,
  } = typeof header === 'string' ? { description: header } : header;
  return { description, ...(required && { required }), schema };
}

function objectParameters(schema: Joi.ObjectSchema | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = toJsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    // A query array is one comma-separated parameter (?ids=a,b), as the schemas read it.
    ...(location === 'query' && property.type === 'array' && { style: 'form', explode: false }),
    schema: property,
  }));
}

function toJsonSchema(schema: Joi.Schema): JsonSchema {
  return withDocumentedOverrides(parse(schema, 'open-api-3.1')) as JsonSchema;
}

/** Replaces each schema marked with documentedAs() by what it is documented as, keeping its description. */
function withDocumentedOverrides(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withDocumentedOverrides);
  if (node === null || typeof node !== 'object') return node;
  const { [DOCUMENTED_AS]: documented, ...rest } = node as JsonSchema;
  if (documented) return { ...(rest.description !== undefined && { description: rest.description }), ...documented };
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withDocumentedOverrides(value)]));
}
