import type { Queryable } from './db';

/** "effectiveFrom" → "effective_from": dataset rows are camelCase, columns snake_case. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]+/g, (part) => `_${part.toLowerCase()}`);
}

function withSnakeCaseKeys(row: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [snakeCase(key), value]));
}

/**
 * Inserts camelCase rows into `table` (schema-qualified), one chunk per statement, through `jsonb_populate_recordset`
 * so column types come from the table itself. Keys are matched to columns by their snake_case name; keys without a
 * column are ignored and columns without a key get NULL (not their default). Rows that already exist are left alone,
 * which makes seeding idempotent.
 */
export async function insertRowsIgnoringExisting(tx: Queryable, table: string, rows: readonly object[], chunkSize = 5000): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize).map(withSnakeCaseKeys);
    await tx.query(`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ON CONFLICT DO NOTHING`, [
      JSON.stringify(chunk),
    ]);
  }
}
