import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * SCALING.md sizes national storage from the bytes one interval row takes in this schema: measured here on the
 * demo-seeded database (pg_column_size of the rows, pg_total_relation_size of the tables with their indexes, after
 * VACUUM), and held to the figures SCALING.md budgets, so the plan is re-checked whenever the schema changes.
 */

const SCALING = readFileSync(join(__dirname, '..', '..', 'SCALING.md'), 'utf8');

/** A number SCALING.md states on a line `<label>: **N** bytes`. */
function budget(label: string): number {
  const match = new RegExp(`${label}: \\*\\*(\\d+)\\*\\* bytes`).exec(SCALING);
  if (!match) throw new Error(`SCALING.md has no line "${label}: **N** bytes"`);
  return Number(match[1]);
}

let database: TestDatabase;
let client: Client;

beforeAll(async () => {
  database = await createTestDatabase('demo');
  client = new Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

/** The interval table: `consumption_current` (partitioned by month) where it exists, else the one table of every version. */
async function intervalTable(): Promise<string> {
  const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass('metering_data.consumption_current') IS NOT NULL AS exists");
  return rows[0].exists ? 'metering_data.consumption_current' : 'metering_data.consumption_interval';
}

describe('bytes per half-hourly interval row (SCALING.md, "Sizing")', () => {
  it('stays within what SCALING.md budgets, data and with its indexes', async () => {
    const table = await intervalTable();
    await client.query(`VACUUM ANALYZE ${table}`);
    // Main forks only (heap pages and index pages): the free-space and visibility maps are a few pages per partition, a
    // fixed cost that dominates a small demo table but vanishes at national volume. A partitioned table's own size is
    // 0, so its leaf partitions are added up (pg_partition_tree lists nothing for a plain table).
    const { rows } = await client.query<{ rows: string; data: string; total: string }>(
      `WITH leaves AS (
         SELECT relid FROM pg_partition_tree('${table}'::regclass) WHERE isleaf
         UNION SELECT '${table}'::regclass WHERE NOT EXISTS (SELECT 1 FROM pg_partition_tree('${table}'::regclass) WHERE isleaf)
       )
       SELECT (SELECT count(*) FROM ${table}) AS rows,
              (SELECT avg(pg_column_size(t.*))::numeric(10, 1) FROM ${table} t) AS data,
              (SELECT sum(pg_relation_size(l.relid) + coalesce((SELECT sum(pg_relation_size(i.indexrelid)) FROM pg_index i WHERE i.indrelid = l.relid), 0))
                 FROM leaves l) AS total`,
    );
    const count = Number(rows[0].rows);
    expect(count).toBeGreaterThan(10_000);
    const dataBytes = Number(rows[0].data);
    // Heap pages (tuple headers, line pointers, free space in pages) and every index's pages.
    const onDiskBytes = Number(rows[0].total) / count;
    console.log(`${table}: ${count} current rows, ${dataBytes} bytes of row data, ${onDiskBytes.toFixed(1)} bytes on disk with indexes`);
    expect(dataBytes).toBeLessThanOrEqual(budget('Row data per interval'));
    expect(onDiskBytes).toBeLessThanOrEqual(budget('On disk per interval, with indexes'));
  });
});
