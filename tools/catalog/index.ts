// The reference catalog for TypeScript tests: `@carthub/catalog-server`.
export * from './server.mjs';
