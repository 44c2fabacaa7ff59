export * from './orm-config';
export * from './migrate';
export * from './embedded-postgres';
export * from './entities';
export * from './cart-repository';
export * from './database-errors';
export * from './database-health';
export * from './database-env';
