export * from './money';
export * from './errors';
export * from './cart-limits';
export * from './cart';
export * from './cart-repository';
export * from './cart-service';
