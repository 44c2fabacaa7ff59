/** How connections are sized and bounded; every field has its default in `DATABASE_DEFAULTS`, and only there. */
export interface DatabaseTuning {
  readonly poolMax: number;
  /** How long a connection attempt may take before the request fails as unavailable. */
  readonly connectTimeoutMs: number;
  /** Server-side cap on any one statement. */
  readonly statementTimeoutMs: number;
}

export const DATABASE_DEFAULTS: DatabaseTuning = { poolMax: 10, connectTimeoutMs: 1_500, statementTimeoutMs: 5_000 };

/** What opening the database takes: where it is, and any tuning that differs from the defaults. */
export interface DatabaseSettings extends Partial<DatabaseTuning> {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  readonly applicationName?: string;
  /** Streaming standbys that may answer some reads (README "Read replicas"); none: every query goes to `url`. */
  readonly readReplicaUrls?: readonly string[];
}

/** The settings with every default filled in. */
export function tuningOf(settings: Partial<DatabaseTuning>): DatabaseTuning {
  return {
    poolMax: settings.poolMax ?? DATABASE_DEFAULTS.poolMax,
    connectTimeoutMs: settings.connectTimeoutMs ?? DATABASE_DEFAULTS.connectTimeoutMs,
    statementTimeoutMs: settings.statementTimeoutMs ?? DATABASE_DEFAULTS.statementTimeoutMs,
  };
}
