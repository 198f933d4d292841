import { createDatabase } from '../subgraphs/kit/db';
import { migrate } from '../subgraphs/kit/migrate';
import { withCopyingTransaction } from '../subgraphs/kit/copy-rows';
import type { DemoDataset } from './dataset';
import { subgraphs } from '../subgraphs';

/** Applies every subgraph's pending migrations to its own schema. */
export async function migrateAll(databaseUrl: string): Promise<void> {
  const db = createDatabase(databaseUrl, { maxConnections: 1, applicationName: 'mhhs-migrate', statementTimeoutMs: 0 });
  try {
    for (const subgraph of subgraphs) await migrate(db, subgraph.dbSchema, subgraph.migrations);
  } finally {
    await db.close();
  }
}

/**
 * Writes a dataset into every subgraph's schema in one transaction: all of it or nothing. Rows that exist already are
 * kept, so writing the same dataset twice changes nothing.
 */
export async function writeDataset(databaseUrl: string, dataset: DemoDataset, onIntervals?: (written: number) => void): Promise<void> {
  // A connection that can COPY: interval data is loaded in bulk (kit/copy-rows.ts).
  await withCopyingTransaction(databaseUrl, 'mhhs-seed', async (tx) => {
    for (const subgraph of subgraphs) await subgraph.writeDataset(tx, dataset, onIntervals);
  });
  await analyseTables(databaseUrl);
}

/**
 * Refreshes the planner's statistics of every subgraph table: after a bulk write, tables autovacuum has not analysed
 * yet are planned as if nearly empty, and a lookup of 20 MPANs among 10,000 turns into a sequential scan.
 */
async function analyseTables(databaseUrl: string): Promise<void> {
  const db = createDatabase(databaseUrl, { maxConnections: 1, applicationName: 'mhhs-analyse', statementTimeoutMs: 0 });
  try {
    for (const subgraph of subgraphs) {
      const tables = await db.query<{ name: string }>(
        `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1`,
        [subgraph.dbSchema],
      );
      for (const { name } of tables) await db.query(`ANALYZE ${name}`);
    }
  } finally {
    await db.close();
  }
}
