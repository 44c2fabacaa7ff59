import Joi from 'joi';
import { HttpError } from './errors';

const OPTIONS: Joi.ValidationOptions = {
  abortEarly: false,
  allowUnknown: false,
  errors: { wrap: { label: false } },
};

// Each schema with the options baked in, made once: Joi then caches the merged preferences instead of merging per call.
const prepared = new WeakMap<Joi.Schema, Joi.Schema>();

function withOptions<T>(schema: Joi.Schema<T>): Joi.Schema<T> {
  let baked = prepared.get(schema);
  if (!baked) prepared.set(schema, (baked = schema.prefs(OPTIONS)));
  return baked as Joi.Schema<T>;
}

/**
 * Validates one part of a request against its schema; any failure is a 422
 * listing every field at fault, except a failed precondition header (412).
 */
export function validate<T>(schema: Joi.Schema<T>, value: unknown, part: string): T {
  const { error, value: valid } = withOptions(schema).validate(value);
  if (error) {
    const precondition = error.details.find((detail) => detail.type === 'precondition.failed');
    if (precondition) throw new HttpError(412, 'VERSION_MISMATCH', precondition.message);
    const details = error.details.map((detail) => ({
      field: detail.path.length > 0 ? detail.path.join('.') : part,
      message: detail.message,
    }));
    throw new HttpError(422, 'VALIDATION_FAILED', `Invalid ${part}: ${details[0].message}`, details);
  }
  return valid;
}
