// Development and test helpers: a real PostgreSQL without installing one. Never part of production wiring.
export * from './embedded-postgres';
export * from './free-port';
