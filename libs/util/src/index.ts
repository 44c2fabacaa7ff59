export * from './env';
export * from './pool-stats';
export * from './run-service';
