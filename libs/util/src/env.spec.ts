import Joi from 'joi';
import { ConfigError, envPort, envPositive, validateEnv } from './env';

describe('validateEnv', () => {
  const schema = Joi.object({ PORT: envPort().default(3000), WORKERS: envPositive().default(1) }).unknown(true);

  it('when values are given as text, then they come back as numbers, defaults filled in', () => {
    expect(validateEnv(schema, { PORT: '8080' })).toEqual({ PORT: 8080, WORKERS: 1 });
  });

  it('when several values are invalid, then one ConfigError names every variable at fault', () => {
    expect(() => validateEnv(schema, { PORT: '70000', WORKERS: '0' })).toThrow(ConfigError);
    expect(() => validateEnv(schema, { PORT: '70000', WORKERS: '0' })).toThrow(
      'Invalid configuration: PORT must be less than or equal to 65535; WORKERS must be greater than or equal to 1',
    );
  });
});
