export * from './discount-code';
export * from './discounted-cart';
export * from './discount-service';
export * from './discount-store';
export * from './largest-remainder';
