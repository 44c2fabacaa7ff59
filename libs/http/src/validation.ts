import Joi from 'joi';
import { HttpError } from './errors';

const OPTIONS: Joi.ValidationOptions = {
  abortEarly: false,
  allowUnknown: false,
  errors: { wrap: { label: false } },
};

/**
 * Validates one part of a request against its schema; any failure is a 422
 * listing every field at fault, except a failed precondition header (412).
 */
export function validate<T>(schema: Joi.Schema<T>, value: unknown, part: string): T {
  const { error, value: valid } = schema.validate(value, OPTIONS);
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
