import { loadConfig } from './config';

describe('loadConfig', () => {
  it('when nothing is set, then the documented defaults apply and the embedded database is chosen', () => {
    expect(loadConfig({})).toEqual({
      host: '0.0.0.0',
      port: 8000,
      logLevel: 'info',
      database: { url: undefined, poolMax: 10, connectTimeoutMs: 1500, statementTimeoutMs: 5000 },
      embedded: { dataDir: '.data/postgres', port: 54329 },
      limits: { maxQuantityPerItem: 99, maxItems: 100 },
      bodyLimitBytes: 16384,
      healthTimeoutMs: 1500,
      shutdownGraceMs: 10000,
    });
  });

  it('when DATABASE_URL and the limits are given, then they are used', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@h/d',
      CART_MAX_ITEMS: '5',
      CART_MAX_QUANTITY_PER_ITEM: '3',
      PORT: '9000',
    });
    expect(config).toMatchObject({
      port: 9000,
      database: { url: 'postgresql://u@h/d' },
      limits: { maxItems: 5, maxQuantityPerItem: 3 },
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CART_MAX_ITEMS: '0' }, 'CART_MAX_ITEMS'],
    [{ DATABASE_URL: 'postgres://h/d', DB_HOST: 'h' }, 'DATABASE_URL'],
  ])('when %p, then start-up stops naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`Invalid configuration: .*${variable}`));
  });
});
