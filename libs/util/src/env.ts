import Joi from 'joi';

/** Joi rules for environment numbers, for every app's config schema. */
export const envPort = () => Joi.number().integer().min(0).max(65535);
export const envPositive = () => Joi.number().integer().min(1);

/** Validates an environment against a schema; a failure names every variable at fault. */
export function validateEnv<T>(schema: Joi.ObjectSchema<T>, env: NodeJS.ProcessEnv): T {
  const { error, value } = schema.validate(env, { abortEarly: false, convert: true, errors: { wrap: { label: '' } } });
  if (error)
    throw new ConfigError(`Invalid configuration: ${error.details.map((detail) => detail.message).join('; ')}`);
  return value;
}

export class ConfigError extends Error {}
