import Joi from 'joi';

/** Joi rules for environment numbers, for every app's config schema. */
export const envPort = () => Joi.number().integer().min(0).max(65535);
export const envPositive = () => Joi.number().integer().min(1);

/**
 * A comma separated list, each entry trimmed and checked by `entry`; empty is
 * the empty list. A bad entry is named by its position, never its text: a
 * list of URLs may hold passwords.
 */
export const envList = (entry: Joi.Schema, what: string) =>
  Joi.string()
    .empty('')
    .custom((text: string, helpers) => {
      const entries = text
        .split(',')
        .map((each) => each.trim())
        .filter(Boolean);
      const bad = entries.findIndex((each) => entry.validate(each).error);
      return bad === -1 ? entries : helpers.error('list.entry', { position: bad + 1, what });
    })
    .messages({ 'list.entry': '{#label}: entry {#position} is not {#what}' })
    .default([]);

/** Validates an environment against a schema; a failure names every variable at fault. */
export function validateEnv<T>(schema: Joi.ObjectSchema<T>, env: NodeJS.ProcessEnv): T {
  const { error, value } = schema.validate(env, { abortEarly: false, convert: true, errors: { wrap: { label: '' } } });
  if (error)
    throw new ConfigError(`Invalid configuration: ${error.details.map((detail) => detail.message).join('; ')}`);
  return value;
}

export class ConfigError extends Error {}
