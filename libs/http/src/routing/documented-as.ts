import Joi from 'joi';

/** A meta key joi-to-json copies into the JSON Schema (it keeps `x-` keys); the OpenAPI generator replaces it. */
export const DOCUMENTED_AS = 'x-documented-as';

export type JsonSchema = Record<string, unknown>;

/**
 * Documents `schema` in OpenAPI as `json` (its description kept), for what Joi's
 * own rules cannot say — a custom check — or could say only by changing the
 * API's error messages or statuses (If-Match's 412).
 */
export function documentedAs<S extends Joi.Schema>(schema: S, json: JsonSchema): S {
  return schema.meta({ [DOCUMENTED_AS]: json }) as S;
}
