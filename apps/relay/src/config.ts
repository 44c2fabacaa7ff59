import Joi from 'joi';
import { DATABASE_SOURCES, DatabaseEnv, databaseEnvFrom, databaseEnvKeys } from '@carthub/persistence';
import { envPort, envPositive, validateEnv } from '@carthub/util';

export { ConfigError } from '@carthub/util';

export interface RelayConfig {
  readonly database: DatabaseEnv;
  /** One NATS server URL or several, comma separated. */
  readonly natsServers: string[];
  /** The JetStream stream, created when absent (RELAY_STREAM; tests use their own). */
  readonly stream: string;
  /** Subjects are `<prefix>.<event type>`; the stream takes `<prefix>.>`. */
  readonly subjectPrefix: string;
  readonly host: string;
  /** /health and /metrics. */
  readonly port: number;
  /** Events read and published per round. */
  readonly batchSize: number;
  /** How often the outbox is read when no NOTIFY arrives. */
  readonly pollMs: number;
  /** How long one publish waits for JetStream's acknowledgement. */
  readonly publishTimeoutMs: number;
  /** Longest wait between retries after a failure (the wait doubles up to this). */
  readonly retryMaxMs: number;
  /** How often a standby asks for the lock, and the active relay checks its lock connection. */
  readonly lockIntervalMs: number;
  readonly logLevel: string;
}

const subjectToken = /^[A-Za-z0-9_-]+$/;

const schema = Joi.object({
  ...databaseEnvKeys,
  NATS_URL: Joi.string()
    .pattern(/^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/, 'nats://host:port[,nats://…]')
    .required(),
  RELAY_STREAM: Joi.string().pattern(subjectToken, 'stream name').max(64).default('CARTHUB'),
  RELAY_SUBJECT_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'subject prefix')
    .max(128)
    .default('carthub'),
  RELAY_HOST: Joi.string().default('0.0.0.0'),
  RELAY_PORT: envPort().default(8001),
  RELAY_BATCH_SIZE: envPositive().max(10_000).default(100),
  RELAY_POLL_MS: envPositive().max(60_000).default(100),
  RELAY_PUBLISH_TIMEOUT_MS: envPositive().max(60_000).default(5_000),
  RELAY_RETRY_MAX_MS: envPositive().max(300_000).default(30_000),
  RELAY_LOCK_INTERVAL_MS: envPositive().max(60_000).default(1_000),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
})
  .oxor(...DATABASE_SOURCES)
  .unknown(true);

/** Reads and checks the environment once; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv): RelayConfig {
  const value = validateEnv(schema, env);
  return {
    database: databaseEnvFrom(value),
    natsServers: value.NATS_URL.split(','),
    stream: value.RELAY_STREAM,
    subjectPrefix: value.RELAY_SUBJECT_PREFIX,
    host: value.RELAY_HOST,
    port: value.RELAY_PORT,
    batchSize: value.RELAY_BATCH_SIZE,
    pollMs: value.RELAY_POLL_MS,
    publishTimeoutMs: value.RELAY_PUBLISH_TIMEOUT_MS,
    retryMaxMs: value.RELAY_RETRY_MAX_MS,
    lockIntervalMs: value.RELAY_LOCK_INTERVAL_MS,
    logLevel: value.LOG_LEVEL,
  };
}
