import { ConfigError, loadConfig } from './config';

const minimal = { DATABASE_URL: 'postgres://u@h/d', NATS_URL: 'nats://127.0.0.1:4222' };

describe('relay configuration', () => {
  it('when only the database and NATS are given, then every other setting takes its documented default', () => {
    expect(loadConfig(minimal)).toMatchObject({
      database: { url: 'postgres://u@h/d', connectTimeoutMs: 1_500 },
      natsServers: ['nats://127.0.0.1:4222'],
      stream: 'CARTHUB',
      subjectPrefix: 'carthub',
      host: '0.0.0.0',
      port: 8001,
      batchSize: 100,
      pollMs: 100,
      retryMaxMs: 30_000,
      lockIntervalMs: 1_000,
      logLevel: 'info',
    });
  });

  it('when several NATS servers are listed, then each is a server to try', () => {
    expect(loadConfig({ ...minimal, NATS_URL: 'nats://a:4222,tls://b:4222' }).natsServers).toEqual([
      'nats://a:4222',
      'tls://b:4222',
    ]);
  });

  it.each([
    [{ DATABASE_URL: 'postgres://u@h/d' }, /NATS_URL is required/],
    [{ ...minimal, NATS_URL: 'http://127.0.0.1:4222' }, /NATS_URL/],
    [{ ...minimal, RELAY_PORT: '70000' }, /RELAY_PORT/],
    [{ ...minimal, RELAY_BATCH_SIZE: '0' }, /RELAY_BATCH_SIZE/],
    [{ ...minimal, RELAY_POLL_MS: 'soon' }, /RELAY_POLL_MS/],
    [{ ...minimal, RELAY_STREAM: 'CART HUB' }, /RELAY_STREAM/],
    [{ ...minimal, RELAY_SUBJECT_PREFIX: 'carthub.>' }, /RELAY_SUBJECT_PREFIX/],
    [{ ...minimal, DB_HOST: 'h' }, /conflict/],
  ])('when the environment is %p, then start-up stops naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
