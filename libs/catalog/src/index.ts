export * from './http-catalog';
