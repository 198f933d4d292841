import type { Queryable } from './db';

/**
 * Inserts snake_case rows into `table` (schema-qualified) through `jsonb_populate_recordset`, so column types come from
 * the table itself and one statement carries a whole chunk. Rows that already exist are left alone, which makes
 * seeding idempotent. Every column must be present in each row (a missing one is NULL, not its default).
 */
export async function insertRowsIgnoringExisting(
  tx: Queryable,
  table: string,
  rows: readonly object[],
  chunkSize = 5000,
): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    await tx.query(
      `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ON CONFLICT DO NOTHING`,
      [JSON.stringify(chunk)],
    );
  }
}
