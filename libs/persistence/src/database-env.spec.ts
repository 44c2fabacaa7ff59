import Joi from 'joi';
import { ConfigError, validateEnv } from '@carthub/util';
import { databaseEnvFrom, databaseEnvKeys } from './database-env';
import { DATABASE_DEFAULTS } from './database-settings';

const schema = Joi.object(databaseEnvKeys).unknown(true);
const read = (env: NodeJS.ProcessEnv) => databaseEnvFrom(validateEnv(schema, env));

describe('database environment', () => {
  it('when DB_* parts are given, then they make the URL, with the password encoded', () => {
    const env = {
      DB_HOST: 'db.internal',
      DB_PORT: '6432',
      DB_NAME: 'carts',
      DB_USERNAME: 'app',
      DB_PASSWORD: 'p@ss:/word',
    };
    expect(read(env).url).toBe('postgres://app:p%40ss%3A%2Fword@db.internal:6432/carts');
  });

  it('when nothing names a database, then there is no URL and the pool defaults apply', () => {
    expect(read({})).toEqual({ url: undefined, ...DATABASE_DEFAULTS });
  });

  it('when a value is invalid, then the error names the variable', () => {
    expect(() => read({ DB_PORT: 'five' })).toThrow(ConfigError);
    expect(() => read({ DB_PORT: 'five' })).toThrow(/DB_PORT must be a number/);
  });
});
