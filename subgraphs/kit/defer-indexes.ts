import type { Queryable } from './db';

interface IndexDefinition {
  indexName: string;
  indexDef: string;
  constraintName: string | null;
  constraintDef: string | null;
}

/**
 * Runs `load` with `table`'s indexes (and the primary key and unique constraints they back) dropped, then builds them
 * again exactly as they were: one sorted build per index is far cheaper than maintaining each index row by row during a
 * bulk load. Meant for loading an empty table inside a transaction, so a failure restores the indexes with everything
 * else. Readers of the table wait until the transaction ends. Does nothing special, only `load`, when another table's
 * foreign key needs one of the constraints.
 */
export async function withIndexesDeferred<T>(tx: Queryable, table: string, load: () => Promise<T>): Promise<T> {
  const [{ referenced }] = await tx.query<{ referenced: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = $1::regclass AND contype = 'f') AS referenced`,
    [table],
  );
  if (referenced) return load();

  await tx.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  const indexes = await tx.query<IndexDefinition>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(ic.relname) AS "indexName", pg_get_indexdef(i.indexrelid) AS "indexDef",
            quote_ident(c.conname) AS "constraintName", pg_get_constraintdef(c.oid) AS "constraintDef"
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = ic.relnamespace
       LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
      WHERE i.indrelid = $1::regclass
      ORDER BY ic.relname`,
    [table],
  );
  for (const index of indexes) {
    if (index.constraintName) await tx.query(`ALTER TABLE ${table} DROP CONSTRAINT ${index.constraintName}`);
    else await tx.query(`DROP INDEX ${index.indexName}`);
  }
  const result = await load();
  // Sorting is the work of a build: give it memory for this transaction only.
  await tx.query(`SET LOCAL maintenance_work_mem = '512MB'`);
  for (const index of indexes) {
    if (index.constraintName) await tx.query(`ALTER TABLE ${table} ADD CONSTRAINT ${index.constraintName} ${index.constraintDef}`);
    else await tx.query(index.indexDef);
  }
  return result;
}
