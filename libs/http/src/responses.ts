import Joi from 'joi';
import { centsToAmount, Cents, MAX_ORDER_TOTAL_CENTS, MAX_UNIT_PRICE_CENTS } from '@carthub/domain';
import { HeaderSpec, ResponseSpec } from './routing/route';

/** The contract's error body, for the OpenAPI document. */
export const errorSchema = Joi.object({
  success: Joi.boolean().valid(false).required(),
  error: Joi.string().required(),
  code: Joi.string().required(),
  details: Joi.array().items(Joi.object({ field: Joi.string().required(), message: Joi.string().required() })),
  request_id: Joi.string().required(),
}).label('Error');

export const error = (description: string): ResponseSpec => ({ description, schema: errorSchema });

/** Every API route can answer these; listed once here so each route need not repeat them. */
export const commonErrors = {
  401: error('UNAUTHORIZED: only when authentication is configured; a valid bearer token is missing'),
  403: error('FORBIDDEN: only when authentication is configured; the token is for another customer'),
  422: error('VALIDATION_FAILED: a field is missing, of the wrong type, or out of range'),
  429: error('RATE_LIMITED: too many requests; see Retry-After'),
  503: error('SERVICE_UNAVAILABLE: the database is unreachable; nothing was written'),
  500: error('INTERNAL_ERROR: a bug; logged with the request id, never a stack trace'),
};

/** For the routes that ask the catalog in catalog mode (add, merge, checkout). */
export const catalogUnavailable = error(
  'SERVICE_UNAVAILABLE, or CATALOG_UNAVAILABLE (catalog mode): nothing changed; see Retry-After',
);

export const bodyErrors = {
  400: error(
    'INVALID_JSON: the body is not parseable JSON, not UTF-8, or corrupt gzip/deflate data; BAD_REQUEST: not valid HTTP/1.1',
  ),
  408: error('REQUEST_TIMEOUT: the headers or the body did not arrive in time; the connection closes'),
  413: error('PAYLOAD_TOO_LARGE: the body is over the size limit'),
  415: error(
    'UNSUPPORTED_MEDIA_TYPE: the body is not application/json (or application/*+json), not UTF-8, or compressed other than gzip/deflate',
  ),
};

/** ETag: the cart's or order's version, as a strong tag ("3"). */
export const versionHeader = (description: string): HeaderSpec => ({
  description,
  required: true,
  schema: { type: 'string', pattern: '^"\\d+"$' },
});

/** An amount in an answer: exact, at most two decimals, from 0 to what an order's total column holds. */
/** Idempotent-Replayed: present ("true") only on a stored answer. */
export const replayedHeader = (when: string): HeaderSpec => ({
  description: `"true" ${when}`,
  schema: { type: 'string', enum: ['true'] },
});

export const money = (maxCents: Cents = MAX_ORDER_TOTAL_CENTS) =>
  Joi.number().precision(2).min(0).max(centsToAmount(maxCents)).description('exact, at most two decimals');

/** A unit price in an answer: above 0, at most the largest price a line takes. */
export const unitPrice = () =>
  Joi.number()
    .precision(2)
    .positive()
    .max(centsToAmount(MAX_UNIT_PRICE_CENTS))
    .description('exact, at most two decimals');
export const timestamp = () => Joi.string().isoDate();
