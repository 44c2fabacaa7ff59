export * from './app';
export * from './errors';
export * from './logger';
export * from './system/routes';
