export * from './test-database';
export * from './fake-secrets-manager';
export * from './statement-counter';
export * from './outbox-events';
