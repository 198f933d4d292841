import { createDatabase } from '../../subgraphs/kit/db';
import { migrate } from '../../subgraphs/kit/migrate';
import { withCopyingTransaction } from '../../subgraphs/kit/copy-rows';
import type { DemoDataset } from '../../subgraphs/kit/dataset';
import { subgraphs } from '../../subgraphs';

/** Applies every subgraph's pending migrations to its own schema. */
export async function migrateAll(databaseUrl: string): Promise<void> {
  const db = createDatabase(databaseUrl, { maxConnections: 1, applicationName: 'mhhs-migrate' });
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
export async function writeDataset(
  databaseUrl: string,
  dataset: DemoDataset,
  onIntervals?: (written: number) => void,
): Promise<void> {
  // A connection that can COPY: interval data is loaded in bulk (kit/copy-rows.ts).
  await withCopyingTransaction(databaseUrl, 'mhhs-seed', async (tx) => {
    for (const subgraph of subgraphs) await subgraph.writeDataset(tx, dataset, onIntervals);
  });
}
