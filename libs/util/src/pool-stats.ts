/** How a connection pool is doing: what persistence measures and metrics publish. */
export interface PoolStats {
  readonly inUse: number;
  readonly idle: number;
  readonly waiting: number;
}
