import Joi from 'joi';
import parse from 'joi-to-json';
import { error } from '../responses';
import { Route } from './route';
import { API_VERSION, SERVICE_NAME } from '../system/routes';

type JsonSchema = Record<string, unknown>;

/** The OpenAPI 3.1 document, built from the very schemas that validate requests. */
export function openApiDocument(routes: readonly Route[]) {
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
        'Carts and checkout for the Carthub shop. Money is exact (at most two decimals). Every error has the Error shape; every response carries X-Request-Id.',
    },
    tags: [
      { name: 'cart', description: "A customer's cart" },
      { name: 'orders', description: 'Checkout and orders' },
      { name: 'guests', description: 'Guest shoppers: an unguessable id and a token of their own' },
      { name: 'system', description: 'Health and service information' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'Only when the service runs with AUTH_JWT_SECRET or AUTH_JWKS_URL: the token subject must be the customer the request is about.',
        },
      },
    },
  };
}

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
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    ...(parameters.length > 0 && { parameters }),
    ...(request.body && {
      requestBody: {
        required: request.body.$_getFlag('presence') === 'required',
        content: { 'application/json': { schema: toJsonSchema(request.body) } },
      },
    }),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.headers && {
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, description]) => [
                name,
                { description, schema: { type: 'string' } },
              ]),
            ),
          }),
          ...(response.schema && { content: { 'application/json': { schema: toJsonSchema(response.schema) } } }),
        },
      ]),
    ),
  };
}

function objectParameters(schema: Joi.ObjectSchema | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = toJsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

function toJsonSchema(schema: Joi.Schema): JsonSchema {
  return parse(schema, 'open-api-3.1') as JsonSchema;
}
