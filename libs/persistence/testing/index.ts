export * from './test-database';
export * from './fake-secrets-manager';
