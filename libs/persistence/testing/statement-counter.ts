interface CompiledQueryLike {
  readonly sql: string;
}

interface ConnectionLike {
  executeQuery(query: CompiledQueryLike, ...rest: unknown[]): Promise<unknown>;
}

export interface StatementRecorder {
  /** Every statement sent to PostgreSQL since the last clear, transaction control included. */
  readonly statements: string[];
  clear(): void;
  /** Pass as the ORM's `onCreateConnection` option: it wraps each new connection (the queries still run). */
  onCreateConnection(connection: unknown): Promise<void>;
}

/** Counts the statements an ORM's connections really send, for query-budget tests. */
export function statementRecorder(): StatementRecorder {
  const statements: string[] = [];
  return {
    statements,
    clear: () => void statements.splice(0),
    async onCreateConnection(connection) {
      const target = connection as ConnectionLike;
      const execute = target.executeQuery.bind(target);
      target.executeQuery = (query, ...rest) => {
        statements.push(query.sql);
        return execute(query, ...rest);
      };
    },
  };
}

/** Statements other than transaction control, whitespace folded. */
export function workStatements(statements: readonly string[]): string[] {
  return statements
    .map((text) => text.replace(/\s+/g, ' ').trim())
    .filter((text) => !/^(begin|commit|rollback|start transaction)\b/i.test(text));
}
