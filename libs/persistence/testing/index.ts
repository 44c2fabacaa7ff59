export * from './test-database';
export * from './fake-secrets-manager';
export * from './statement-counter';
export { findFreePort } from '../dev/free-port';
export * from './outbox-events';
export * from './test-outbox';
export * from './app-process';
export * from './streaming-replica';
export * from './migration-names';
