import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NationalRow } from './row';

/** Files of this folder whose name ends so export `rows: NationalRow[]`. */
export const ROW_FILE_SUFFIX = '-rows.ts';

/**
 * Every row of the suite, from every `*-rows.ts` file in bench/national/ in file-name order, then in each file's
 * order. Ids must be unique: two rows with one id would make the report ambiguous.
 */
export async function discoverRows(folder = __dirname): Promise<NationalRow[]> {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith(ROW_FILE_SUFFIX))
    .sort();
  const rows: NationalRow[] = [];
  for (const file of files) {
    const module = (await import(join(folder, file))) as { rows?: NationalRow[] };
    if (!Array.isArray(module.rows)) throw new Error(`bench/national/${file} must export rows: NationalRow[]`);
    rows.push(...module.rows);
  }
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.id)) throw new Error(`two national bench rows have the id ${row.id}`);
    seen.add(row.id);
  }
  return rows;
}
