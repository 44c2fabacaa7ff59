import Joi from 'joi';
import { ConfigError, validateEnv } from '@carthub/util';
import { databaseEnvFrom, databaseEnvKeys, readReplicaEnvFrom, readReplicaEnvKeys } from './database-env';
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
    expect(read({})).toEqual({ url: undefined, ...DATABASE_DEFAULTS, tls: { mode: undefined, caFile: undefined } });
  });

  it('when DB_SSL_MODE and DB_SSL_CA are set, then they are read, and a mode that could fall back to plain text is refused', () => {
    expect(read({ DB_SSL_MODE: 'verify-full', DB_SSL_CA: '/etc/ssl/rds.pem' }).tls).toEqual({
      mode: 'verify-full',
      caFile: '/etc/ssl/rds.pem',
    });
    expect(() => read({ DB_SSL_MODE: 'prefer' })).toThrow(/DB_SSL_MODE/);
  });

  it('when a value is invalid, then the error names the variable', () => {
    expect(() => read({ DB_PORT: 'five' })).toThrow(ConfigError);
    expect(() => read({ DB_PORT: 'five' })).toThrow(/DB_PORT must be a number/);
  });

  it('when DB_READ_REPLICA_URLS lists replicas, then each is read; unset, there are none and the checks keep their defaults', () => {
    const replicas = (env: NodeJS.ProcessEnv) =>
      readReplicaEnvFrom(validateEnv(Joi.object(readReplicaEnvKeys).unknown(true), env));
    expect(replicas({})).toEqual({ urls: [], checkIntervalMs: 5_000, maxWaitMs: 10 });
    expect(replicas({ DB_READ_REPLICA_URLS: 'postgres://r1/carthub,postgres://r2/carthub' }).urls).toEqual([
      'postgres://r1/carthub',
      'postgres://r2/carthub',
    ]);
    expect(() => replicas({ DB_READ_REPLICA_URLS: 'postgres://r1/carthub,r2' })).toThrow(
      'Invalid configuration: DB_READ_REPLICA_URLS: entry 2 is not a postgres:// URL',
    );
  });
});
