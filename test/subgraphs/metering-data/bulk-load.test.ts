import { Client } from 'pg';
import { buildDataset, consecutiveDates } from '../../../dev/build-dataset';
import { migrateAll, writeDataset } from '../../../dev/database-setup';
import { copyRowsIgnoringExisting, withCopyingTransaction, type CopyingQueryable } from '../../../subgraphs/kit/copy-rows';
import { withIndexesDeferred } from '../../../subgraphs/kit/defer-indexes';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { TEST_NOW } from '../../support/test-clock';

// Interval data is seeded with COPY (kit/copy-rows.ts): straight into an empty table, else through a staging table that
// keeps existing rows. Both paths must give the same table, and a failure must leave nothing behind.

const dataset = buildDataset({ mpanCount: 12, settlementDates: consecutiveDates('2026-03-28', 3), runDate: null, seededAt: TEST_NOW });
// Current versions as the current-interval table holds them (no supersededAt), and the superseded ones.
const current = [...dataset.intervalBatches()]
  .flat()
  .filter((i) => i.supersededAt === null)
  .map(({ supersededAt: _, ...row }) => row);
const superseded = [...dataset.intervalBatches()].flat().filter((i) => i.supersededAt !== null);
const CURRENT = 'metering_data.consumption_current';

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase('empty');
  await migrateAll(database.url);
  // The month partitions the rows go to (writeDataset makes them itself).
  await rows(`SELECT metering_data.ensure_consumption_partitions('2026-03-01', '2026-04-01')::text AS row`);
});
afterEach(() => database.drop());

async function rows(sql: string): Promise<string[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<{ row: string }>(sql)).rows.map((r) => r.row);
  } finally {
    await client.end();
  }
}

/** The transaction as given, with every statement and COPY it is asked to run written down. */
function recording(tx: CopyingQueryable, calls: string[]): CopyingQueryable {
  return {
    query: (sql, params) => (calls.push(sql.trim().split(/\s+/).slice(0, 2).join(' ')), tx.query(sql, params)),
    copyFrom: (sql, text) => (calls.push(sql.trim().split(/\s+/).slice(0, 2).join(' ')), tx.copyFrom(sql, text)),
  };
}

/** Every version, current and superseded, through the view of both tables. */
const intervalTable = () => rows('SELECT t::text AS row FROM metering_data.consumption_interval t ORDER BY 1');

/** Every index and constraint of the metering-data schema as SQL: what the migrations left, to compare after a load. */
const schemaObjects = () =>
  rows(`SELECT indexname || ': ' || indexdef AS row FROM pg_indexes WHERE schemaname = 'metering_data'
        UNION ALL
        SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'metering_data'::regnamespace
        ORDER BY 1`);

describe('bulk loading interval data', () => {
  it('gives the same rows whether the table was empty (straight COPY) or partly loaded (staging and ON CONFLICT)', async () => {
    await writeDataset(database.url, dataset);
    const straight = await intervalTable();
    expect(straight).toHaveLength(dataset.intervalCount);

    // Keep every third row, then load everything again: the rest is added, nothing is doubled.
    const client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query(`DELETE FROM metering_data.consumption_current WHERE (extract(epoch FROM utc_start)::bigint / 1800) % 3 <> 0`);
    await client.query(`DELETE FROM metering_data.consumption_history WHERE (extract(epoch FROM utc_start)::bigint / 1800) % 3 <> 0`);
    await client.end();
    expect((await intervalTable()).length).toBeLessThan(straight.length);
    expect(superseded.length).toBeGreaterThan(0);
    await withCopyingTransaction(database.url, 'test', async (tx) => {
      await copyRowsIgnoringExisting(tx, CURRENT, [current.slice(0, 100), current.slice(100)]);
      await copyRowsIgnoringExisting(tx, 'metering_data.consumption_history', [superseded]);
    });
    expect(await intervalTable()).toEqual(straight);
  });

  it('reports every row to onBatch and stages in several rounds when there is more than one round of rows', async () => {
    await withCopyingTransaction(database.url, 'test', (tx) => copyRowsIgnoringExisting(tx, CURRENT, [current.slice(0, 1)]));
    const reported: number[] = [];
    const calls: string[] = [];
    // In batches of 7, through the staging path in rounds of at least 100 rows.
    const batches = Array.from({ length: Math.ceil(current.length / 7) }, (_, i) => current.slice(i * 7, i * 7 + 7));
    await withCopyingTransaction(database.url, 'test', (tx) =>
      copyRowsIgnoringExisting(recording(tx, calls), CURRENT, batches, {
        onBatch: (n) => reported.push(n),
        stagingRows: 100,
      }),
    );
    expect(reported).toHaveLength(batches.length);
    expect(reported.reduce((a, b) => a + b, 0)).toBe(current.length);
    // One COPY into the staging table and one INSERT per round: a round holds 15 batches of 7 (105 rows).
    const rounds = Math.ceil(batches.length / 15);
    expect(rounds).toBeGreaterThan(1);
    expect(calls.filter((call) => call === 'COPY copy_staging_metering_data_consumption_current')).toHaveLength(rounds);
    expect(calls.filter((call) => call === 'INSERT INTO')).toHaveLength(rounds);
    expect(await intervalTable()).toHaveLength(current.length);
  });

  it('leaves nothing behind when a row is refused, on either path', async () => {
    const broken = [...current.slice(0, 50), { ...current[50], mpanCore: 'not-an-mpan' }];
    await expect(withCopyingTransaction(database.url, 'test', (tx) => copyRowsIgnoringExisting(tx, CURRENT, [broken]))).rejects.toThrow(
      /check constraint/,
    );
    expect(await intervalTable()).toEqual([]);

    await writeDataset(database.url, dataset);
    const before = await intervalTable();
    await expect(
      withCopyingTransaction(database.url, 'test', (tx) =>
        copyRowsIgnoringExisting(tx, CURRENT, [[{ ...current[0], utcStart: new Date('2026-03-01T00:00:00Z') }], broken]),
      ),
    ).rejects.toThrow(/check constraint/);
    expect(await intervalTable()).toEqual(before);
  });

  it('aborts the COPY and rolls back when a row cannot even be written as COPY text', async () => {
    const unwritable = [...current.slice(0, 20), { ...current[20], estimationMethod: ['not', 'text'] }];
    await expect(withCopyingTransaction(database.url, 'test', (tx) => copyRowsIgnoringExisting(tx, CURRENT, [unwritable]))).rejects.toThrow(
      /arrays are not supported/,
    );
    expect(await intervalTable()).toEqual([]);
  });

  it('builds the indexes and constraints it deferred exactly as the migrations made them', async () => {
    const migrated = await schemaObjects();
    expect(migrated.join('\n')).toMatch(/consumption_current_pkey: PRIMARY KEY \(mpan_core, quantity, utc_start\)/);
    expect(migrated.join('\n')).toMatch(/consumption_current_y2026m03_pkey: CREATE UNIQUE INDEX/);
    await writeDataset(database.url, dataset);
    expect(await schemaObjects()).toEqual(migrated);
    // The rebuilt indexes still refuse a second current version.
    await expect(
      rows(`INSERT INTO metering_data.consumption_current
      SELECT mpan_core, quantity, utc_start, version + 10, period_minutes, value, quality, estimation_method, data_service_id,
             received_at, de_energised_flag FROM metering_data.consumption_current LIMIT 1
      RETURNING 'x' AS row`),
    ).rejects.toThrow(/consumption_current_y2026m03_pkey/);
  });

  it('leaves the indexes of a table that a foreign key points at in place while loading', async () => {
    const seen: string[][] = [];
    await withCopyingTransaction(database.url, 'test', (tx) =>
      withIndexesDeferred(tx, 'metering_data.read_request', async () => {
        seen.push(
          (await tx.query<{ row: string }>(`SELECT indexname AS row FROM pg_indexes WHERE tablename = 'read_request' ORDER BY 1`)).map(
            (r) => r.row,
          ),
        );
      }),
    );
    expect(seen).toEqual([['read_request_mpan_core', 'read_request_one_open_per_meter', 'read_request_pkey', 'read_request_work_list']]);
  });

  it('loads nothing and asks nothing of the table when there are no rows', async () => {
    const calls: string[] = [];
    await withCopyingTransaction(database.url, 'test', (tx) => copyRowsIgnoringExisting(recording(tx, calls), CURRENT, [[], []]));
    expect(calls).toEqual([]);
    expect(await intervalTable()).toEqual([]);
  });
});
