export * from './env';
export * from './pool-stats';
