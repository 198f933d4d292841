import { Client } from 'pg';
import { createDatabase, type Database, type Queryable } from '../../../subgraphs/kit/db';
import { migrate } from '../../../subgraphs/kit/migrate';
import { meteringData } from '../../../subgraphs/metering-data';
import * as store from '../../../subgraphs/metering-data/store';
import { aggregateSettlementDayPage } from '../../../subgraphs/metering-data/settlement-day-store';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

// Storage built for volume (issue 16, README "Storage of interval data"), read from PostgreSQL's own catalog: the
// interval tables are partitioned by time, every unique key carries the MPAN core (what Citus, sharded by MPAN core,
// requires), and every statement the store runs on them filters by MPAN core or is an aggregate grouped by it.

const INTERVAL_TABLES = ['consumption_current', 'consumption_history'];

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase('demo');
  db = createDatabase(database.url, { maxConnections: 2 });
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('the interval tables in the catalog', () => {
  it('are range-partitioned by utc_start, with monthly partitions holding the demo data', async () => {
    const tables = await db.query<{ table: string; strategy: string; key: string }>(
      `SELECT c.relname AS table, p.partstrat AS strategy, a.attname AS key
         FROM pg_partitioned_table p
         JOIN pg_class c ON c.oid = p.partrelid
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
        WHERE c.relnamespace = 'metering_data'::regnamespace ORDER BY 1`,
    );
    expect(tables).toEqual(INTERVAL_TABLES.map((table) => ({ table, strategy: 'r', key: 'utc_start' })));
    const partitions = await db.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'metering_data.consumption_current'::regclass ORDER BY 1`,
    );
    // The demo's span, March to October (seeding makes every month in between, empty or not).
    expect(partitions.map((p) => p.name)).toEqual(
      ['03', '04', '05', '06', '07', '08', '09', '10'].map((m) => `consumption_current_y2026m${m}`),
    );
    expect(partitions[0].bound).toBe(`FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00')`);
  });

  it('Citus-ready: every unique index of the interval tables and their partitions contains mpan_core', async () => {
    const indexes = await db.query<{ index: string; columns: string[] }>(
      `SELECT ic.relname AS index, array_agg(a.attname::text ORDER BY k.ord) AS columns
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_class t ON t.oid = i.indrelid
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE i.indisunique AND t.relnamespace = 'metering_data'::regnamespace
          AND (t.relname = ANY($1) OR t.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = ANY($2::regclass[])))
        GROUP BY ic.relname ORDER BY 1`,
      [INTERVAL_TABLES, INTERVAL_TABLES.map((t) => `metering_data.${t}`)],
    );
    // Two parents and two partitions each, at least.
    expect(indexes.length).toBeGreaterThanOrEqual(6);
    for (const index of indexes)
      expect({ index: index.index, hasMpan: index.columns.includes('mpan_core') }).toEqual({ index: index.index, hasMpan: true });
    expect(indexes.find((i) => i.index === 'consumption_current_pkey')?.columns).toEqual(['mpan_core', 'quantity', 'utc_start']);
    expect(indexes.find((i) => i.index === 'consumption_history_pkey')?.columns).toEqual(['mpan_core', 'quantity', 'utc_start', 'version']);
  });

  it('every statement the store runs on them filters by mpan_core or groups by it (a per-shard aggregate)', async () => {
    const statements: string[] = [];
    const record = (on: Queryable): Queryable => ({ query: (sql, params) => (statements.push(sql), on.query(sql, params)) });
    const recording: Database = {
      ...record(db),
      statementCount: 0,
      transaction: (work) => db.transaction((tx) => work(record(tx))),
      close: () => db.close(),
    };
    const mpanCore = (await db.query<{ mpan: string }>('SELECT mpan_core AS mpan FROM metering_data.consumption_current LIMIT 1'))[0].mpan;
    const dayStart = new Date('2026-10-24T23:00:00Z');
    const dayEnd = new Date('2026-10-26T00:00:00Z');
    const range = { mpanCore, from: dayStart, to: dayEnd };
    const interval = {
      mpanCore,
      quantity: 'ACTIVE_IMPORT',
      utcStart: dayStart,
      periodMinutes: 30,
      value: '9.5',
      quality: 'ACTUAL',
      estimationMethod: null,
      deEnergisedFlag: false,
    };
    // Every store function that reads or writes interval data (in a transaction rolled back at the end).
    await store.findConsumptionPages(recording, [
      { mpanCore, quantity: 'ACTIVE_IMPORT', from: dayStart, to: dayEnd, after: null, limit: 10, scope: null },
    ]);
    await store.findIntervalVersions(recording, [{ mpanCore, quantity: 'ACTIVE_IMPORT', utcStart: dayStart }]);
    await store.countCurrentIntervalsByLength(recording, [range]);
    await store.findMissingPeriodRuns(recording, [range], 'ACTIVE_IMPORT', 30, 30);
    await store.findSeries(recording, [{ mpanCore, quantity: 'ACTIVE_IMPORT', dayStart, dayEnd }]);
    await store.findSeriesPage(recording, { quantity: 'ACTIVE_IMPORT', dayStart, dayEnd, after: null, mpanCores: null, limit: 5 });
    await aggregateSettlementDayPage(recording, { facts: [], mpanCores: [mpanCore], dayStart, dayEnd, periodMinutes: 30, periodCount: 50 });
    await expect(
      db.transaction(async (tx) => {
        const inTx: Queryable = { query: (sql, params) => (statements.push(sql), tx.query(sql, params)) };
        await store.storeIntervalVersions(inTx, 'SDSA', [interval], dayEnd, [range]);
        await store.supersedeOtherPeriodLengths(inTx, [{ ...range, keepPeriodMinutes: 15 }], dayEnd);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');

    const onIntervals = statements.filter((sql) => /consumption_(current|history)/.test(sql));
    expect(onIntervals).toHaveLength(9);
    const byMpan = /\bc\.mpan_core = k\.mpan_core\b|\bc\.mpan_core = e\.mpan_core\b|\bc\.mpan_core = ANY\(/;
    const perShardAggregate = /GROUP BY c\.mpan_core\b[\s\S]*ORDER BY c\.mpan_core\b/;
    for (const sql of onIntervals)
      expect({ sql, citusReady: byMpan.test(sql) || perShardAggregate.test(sql) }).toEqual({ sql, citusReady: true });
  });

  it('a day of the bulk path reads only the partition that holds it', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `EXPLAIN (FORMAT JSON) SELECT mpan_core, array_agg(value ORDER BY utc_start) FROM metering_data.consumption_current
          WHERE quantity = 'ACTIVE_IMPORT' AND utc_start >= '2026-10-24T23:00:00Z' AND utc_start < '2026-10-26T00:00:00Z'
          GROUP BY mpan_core ORDER BY mpan_core LIMIT 10`,
      );
      const plan = JSON.stringify(rows[0]['QUERY PLAN']);
      expect(plan).toContain('consumption_current_y2026m10');
      expect(plan).not.toContain('consumption_current_y2026m03');
    } finally {
      await client.end();
    }
  });
});

describe('migration 004', () => {
  it('moves existing interval rows into the current and history tables and keeps them readable as before', async () => {
    const empty = await createTestDatabase('empty');
    const own = createDatabase(empty.url, { maxConnections: 1 });
    try {
      await migrate(
        own,
        'metering_data',
        meteringData.migrations.filter((m) => m.version <= 3),
      );
      await own.query(
        `INSERT INTO metering_data.consumption_interval
           (mpan_core, quantity, utc_start, version, period_minutes, value, quality, data_service_id, received_at, superseded_at)
         VALUES ('1000000000012', 'ACTIVE_IMPORT', '2025-12-31T23:30:00Z', 1, 30, 0.5, 'ACTUAL', 'SDSA', '2026-01-01T06:00:00Z', '2026-01-02T06:00:00Z'),
                ('1000000000012', 'ACTIVE_IMPORT', '2025-12-31T23:30:00Z', 2, 30, 0.6, 'ACTUAL', 'SDSA', '2026-01-02T06:00:00Z', NULL),
                ('1000000000012', 'ACTIVE_IMPORT', '2026-01-01T00:00:00Z', 1, 30, 0.7, 'ACTUAL', 'SDSA', '2026-01-02T06:00:00Z', NULL)`,
      );
      const before = await own.query('SELECT t::text AS row FROM metering_data.consumption_interval t ORDER BY 1');
      await migrate(own, 'metering_data', meteringData.migrations);
      expect(await own.query('SELECT t::text AS row FROM metering_data.consumption_interval t ORDER BY 1')).toEqual(before);
      expect(await own.query('SELECT utc_start, version FROM metering_data.consumption_current ORDER BY 1')).toEqual([
        { utc_start: new Date('2025-12-31T23:30:00Z'), version: 2 },
        { utc_start: new Date('2026-01-01T00:00:00Z'), version: 1 },
      ]);
      expect(await own.query('SELECT version FROM metering_data.consumption_history')).toEqual([{ version: 1 }]);
      // Retention drops whole months: December 2025 goes, January 2026 stays.
      expect(await own.query(`SELECT metering_data.drop_consumption_partitions_before('2026-01-01T00:00:00Z') AS dropped`)).toEqual([
        { dropped: 2 },
      ]);
      expect(await own.query('SELECT utc_start FROM metering_data.consumption_interval')).toEqual([
        { utc_start: new Date('2026-01-01T00:00:00Z') },
      ]);
    } finally {
      await own.close();
      await empty.drop();
    }
  });
});
