import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Migrated and demo-seeded once per run by global-setup; each test file works on its own copy. */
export const TEMPLATE_DATABASE = 'mhhs_test_template';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (global-setup starts PostgreSQL)');
  return url;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of this test's own: a copy of the demo-seeded template (`demo`), or empty (`empty`, for migration and
 * seeding tests). Drop it when done.
 */
export async function createTestDatabase(contents: 'demo' | 'empty' = 'demo'): Promise<TestDatabase> {
  const name = `mhhs_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}${contents === 'demo' ? ` TEMPLATE ${TEMPLATE_DATABASE}` : ''}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
