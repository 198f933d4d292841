import { createDatabase } from '../../subgraphs/kit/db';
import { migrate } from '../../subgraphs/kit/migrate';
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
  const db = createDatabase(databaseUrl, { maxConnections: 1, applicationName: 'mhhs-seed' });
  try {
    await db.transaction(async (tx) => {
      for (const subgraph of subgraphs) await subgraph.writeDataset(tx, dataset, onIntervals);
    });
  } finally {
    await db.close();
  }
}
