export * from './app';
export * from './errors';
export * from './logger';
export * from './system/routes';
export * from './observability/metrics';
export * from './routing/openapi';
export { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_TOKEN_AGE_SECONDS } from './auth/authenticate';
export type { AuthSettings } from './auth/authenticate';
export type { RateLimitSettings } from './middleware/rate-limit';
