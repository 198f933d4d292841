import { Pool, PoolClient, QueryResultRow, types } from 'pg';

// DATE columns stay "YYYY-MM-DD" strings: a JS Date would shift them by the server's time zone.
types.setTypeParser(types.builtins.DATE, (value) => value);
// COUNT(*) and BIGINT ids fit in a JS number for this data.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

/** Anything that runs SQL: the pool or one transaction's client. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
}

/** One subgraph's connection pool; counts the statements it runs so tests can prove batching. */
export interface Database extends Queryable {
  readonly statementCount: number;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL ends any one statement after this long (STATEMENT_TIMEOUT_MS): no query holds a connection forever. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** Opens a pool on `url`; every statement through it (and its transactions) is counted. */
export function createDatabase(
  url: string,
  options: { maxConnections?: number; applicationName?: string; statementTimeoutMs?: number } = {},
): Database {
  const pool = new Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'mhhs-data-gateway',
    // Set per connection by the server itself (SET at connect), so it holds for every statement and transaction.
    statement_timeout: options.statementTimeoutMs ?? statementTimeoutFromEnv(),
  });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  let statementCount = 0;

  const run = async <R extends QueryResultRow>(client: Pool | PoolClient, sql: string, params?: unknown[]) => {
    statementCount++;
    return (await client.query<R>(sql, params)).rows;
  };

  return {
    get statementCount() {
      return statementCount;
    },
    query: (sql, params) => run(pool, sql, params),
    async transaction(work) {
      const client = await pool.connect();
      try {
        return await inTransaction(client, () => work({ query: (sql, params) => run(client, sql, params) }));
      } finally {
        client.release();
      }
    },
    // Idempotent: shutdown paths may reach a pool twice (a failed start, then the signal handler).
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}

function statementTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.STATEMENT_TIMEOUT_MS;
  if (value === undefined) return DEFAULT_STATEMENT_TIMEOUT_MS;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new Error(`STATEMENT_TIMEOUT_MS must be a positive integer, got "${value}"`);
  return parsed;
}

/** Runs `work` between BEGIN and COMMIT on `client`, rolling back when it throws: all of it or nothing. */
export async function inTransaction<T>(client: { query(sql: string): Promise<unknown> }, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
