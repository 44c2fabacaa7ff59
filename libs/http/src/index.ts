export * from './app';
export * from './errors';
export * from './logger';
export * from './system/routes';
export * from './observability/metrics';
export * from './routing/openapi';
export type { AuthSettings } from './auth/authenticate';
export type { RateLimitSettings } from './middleware/rate-limit';
