import type { Pool, PoolClient } from 'pg';

export interface StatementRecorder {
  /** Every statement sent to PostgreSQL since the last clear, transaction control included. */
  readonly statements: string[];
  clear(): void;
  /**
   * Pass as `onPoolCreated` in the ORM's driverOptions: every connection of
   * the pool records what it sends (the queries still run), whether through
   * the ORM's Kysely or as a named statement on the pool itself.
   */
  onPoolCreated(pool: Pool): void;
}

/** Counts the statements an ORM's connections really send, for query-budget tests. */
export function statementRecorder(): StatementRecorder {
  const statements: string[] = [];
  return {
    statements,
    clear: () => void statements.splice(0),
    onPoolCreated(pool) {
      pool.on('connect', (client: PoolClient) => {
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as { query: unknown }).query = (first: string | { text: string }, ...rest: unknown[]) => {
          statements.push(typeof first === 'string' ? first : first.text);
          return query(first, ...rest);
        };
      });
    },
  };
}

/** Statements other than transaction control, whitespace folded. */
export function workStatements(statements: readonly string[]): string[] {
  return statements
    .map((text) => text.replace(/\s+/g, ' ').trim())
    .filter((text) => !/^(begin|commit|rollback|start transaction)\b/i.test(text));
}
