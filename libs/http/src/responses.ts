import Joi from 'joi';
import { ResponseSpec } from './routing/route';

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
};

/** For the routes that ask the catalog in catalog mode (add, merge, checkout). */
export const catalogUnavailable = error(
  'SERVICE_UNAVAILABLE, or CATALOG_UNAVAILABLE (catalog mode): nothing changed; see Retry-After',
);

export const bodyErrors = {
  400: error('INVALID_JSON: the body is not parseable JSON, not UTF-8, or corrupt gzip/deflate data'),
  413: error('PAYLOAD_TOO_LARGE: the body is over the size limit'),
  415: error(
    'UNSUPPORTED_MEDIA_TYPE: the body is not application/json (or application/*+json), not UTF-8, or compressed other than gzip/deflate',
  ),
};

export const money = () => Joi.number().precision(2).description('exact, at most two decimals');
export const timestamp = () => Joi.string().isoDate();
