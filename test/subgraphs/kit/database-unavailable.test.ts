import { Client } from 'pg';
import { isDatabaseUnavailable } from '../../../subgraphs/kit/database-unavailable';
import { freePort } from '../../../dev/free-port';
import { createTestDatabase } from '../../support/test-database';

// Which failures count as "the database is not there" (DATABASE_UNAVAILABLE, retry) rather than a fault of the
// statement or the data (masked INTERNAL_SERVER_ERROR, or the caller's own error): real driver errors, not made-up ones.

/** What `promise` rejects with (undefined if it resolves). */
const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection and a connection that PostgreSQL terminates', async () => {
    const nobody = new Client({
      connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/none`,
      connectionTimeoutMillis: 2000,
    });
    const refused = await failureOf(nobody.connect());
    expect(isDatabaseUnavailable(refused)).toBe(true);

    const database = await createTestDatabase('empty');
    const victim = new Client({ connectionString: database.url });
    const admin = new Client({ connectionString: database.url });
    await victim.connect();
    await admin.connect();
    victim.on('error', () => undefined);
    try {
      const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const running = failureOf(victim.query('SELECT pg_sleep(10)'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      // 57P01 (admin_shutdown), what every session gets when the server is stopped for a restart.
      const terminated = await running;
      expect(isDatabaseUnavailable(terminated)).toBe(true);
      // The same client afterwards: not queryable any more.
      const after = await failureOf(victim.query('SELECT 1'));
      expect(isDatabaseUnavailable(after)).toBe(true);
    } finally {
      await victim.end().catch(() => undefined);
      await admin.end();
      await database.drop();
    }
  });

  it('leaves statement, data and other services’ failures alone', async () => {
    const database = await createTestDatabase('empty');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const syntax = await failureOf(client.query('SELEC 1'));
      expect(isDatabaseUnavailable(syntax)).toBe(false);
      const division = await failureOf(client.query('SELECT 1 / 0'));
      expect(isDatabaseUnavailable(division)).toBe(false);
    } finally {
      await client.end();
      await database.drop();
    }
    // Another subgraph not answering is SUBGRAPH_UNAVAILABLE's business, not the database's: fetch wraps its socket error.
    const fetchFailure = await failureOf(fetch(`http://127.0.0.1:${await freePort()}/`));
    expect(isDatabaseUnavailable(fetchFailure)).toBe(false);
    expect(isDatabaseUnavailable(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
