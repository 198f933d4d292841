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
    // A partitioned table's own size is 0: add up its partitions (pg_partition_tree lists nothing for a plain table).
    const { rows } = await client.query<{ rows: string; data: string; total: string }>(
      `SELECT count(*) AS rows,
              avg(pg_column_size(t.*))::numeric(10, 1) AS data,
              coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('${table}'::regclass) WHERE isleaf),
                       pg_total_relation_size('${table}'::regclass)) AS total
         FROM ${table} t`,
    );
    const count = Number(rows[0].rows);
    expect(count).toBeGreaterThan(10_000);
    const dataBytes = Number(rows[0].data);
    // With the whole table (heap pages, tuple headers and line pointers, free space) and every index.
    const onDiskBytes = Number(rows[0].total) / count;
    console.log(`${table}: ${count} current rows, ${dataBytes} bytes of row data, ${onDiskBytes.toFixed(1)} bytes on disk with indexes`);
    expect(dataBytes).toBeLessThanOrEqual(budget('Row data per interval'));
    expect(onDiskBytes).toBeLessThanOrEqual(budget('On disk per interval, with indexes'));
  });
});
