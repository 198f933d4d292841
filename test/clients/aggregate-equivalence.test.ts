import { Client } from 'pg';
import { readAggregation, type AggregatedDay, type AggregationMethod } from '../../clients/aggregate-job';
import { buildDataset, DEMO_SETTLEMENT_DATES } from '../../dev/build-dataset';
import { migrateAll, writeDataset } from '../../dev/database-setup';
import { TEST_NOW } from '../support/test-clock';
import { createTestDatabase } from '../support/test-database';
import { startTestStack, type TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';

// Issue 16: the MDS job's aggregation made in SQL next to the intervals (`settlementDayAggregation`, the job's default)
// must give exactly what the original per-MPAN path gives, to the last decimal, exceptions and counts included: on
// every demo day (both 2026 clock changes among them) and on a generated day with the awkward cases put in on purpose.

const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };

async function aggregate(
  stack: TestStack,
  settlementDate: string,
  method: AggregationMethod,
  options: { periodMinutes?: number; pageSize?: number } = {},
) {
  const day = await readAggregation({
    gatewayUrl: stack.gatewayUrl,
    token: await stack.token(MDS),
    settlementDate,
    runType: 'SF',
    method,
    periodMinutes: options.periodMinutes,
    aggregationPageSize: options.pageSize,
  });
  // How it was read is not part of the answer.
  const { method: _method, timings: _timings, ...answer } = day;
  return answer;
}

const countByType = (day: Omit<AggregatedDay, 'method' | 'timings'>) =>
  day.exceptions.reduce<Record<string, number>>((counts, e) => ({ ...counts, [e.exceptionType]: (counts[e.exceptionType] ?? 0) + 1 }), {});

describe('MDS aggregation in the database equals the per-MPAN aggregation (demo days)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());

  it.each(DEMO_SETTLEMENT_DATES)('PRI-014/PRI-015: %s in 30-minute periods, volumes, exceptions and counts alike', async (date) => {
    const perMpan = await aggregate(stack, date, 'per-mpan');
    const inDatabase = await aggregate(stack, date, 'database');
    expect(inDatabase).toEqual(perMpan);
    expect(perMpan.volumes.length).toBeGreaterThan(0);
    expect(perMpan.meteringPoints).toBe(50);
  });

  it('PRI-015: a 15-minute run of the long autumn day leaves the 30-minute data out and reports it alike', async () => {
    const perMpan = await aggregate(stack, '2026-10-25', 'per-mpan', { periodMinutes: 15 });
    const inDatabase = await aggregate(stack, '2026-10-25', 'database', { periodMinutes: 15 });
    expect(inDatabase).toEqual(perMpan);
    expect(perMpan.periodCount).toBe(100);
    expect(perMpan.unsettledIntervals).toBeGreaterThan(0);
  });

  it('pages of any size add up to the same day (keyset by MPAN core)', async () => {
    const whole = await aggregate(stack, '2026-03-29', 'database');
    const paged = await aggregate(stack, '2026-03-29', 'database', { pageSize: 7 });
    expect(paged).toEqual(whole);
  });

  it('refuses a page size outside 1 to 50,000 and a foreign cursor, naming what is accepted', async () => {
    const ask = (variables: Record<string, unknown>) =>
      stack.query(
        `query($first: Int, $after: String) { settlementDayAggregation(settlementDate: "2026-03-29", first: $first, after: $after) { meteringPoints } }`,
        variables,
        MDS,
      );
    const tooBig = await ask({ first: 50_001 });
    expect(tooBig.body.errors[0]).toMatchObject({
      message: expect.stringContaining('first must be between 1 and 50000'),
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE' },
    });
    const foreign = await ask({ first: 10, after: 'not-a-cursor' });
    expect(foreign.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
  });

  it('is the Market-wide Data Service’s alone, with the facts in bulk: any other role meets unknown fields', async () => {
    for (const actor of [
      { role: 'SUPPLIER', participant: 'SUPA' },
      { role: 'VOLUME_ALLOCATION_SERVICE', participant: 'VASV' },
      { role: 'REGISTRATION_SERVICE', participant: 'RSVC' },
    ] as Actor[]) {
      for (const field of [
        'settlementDayAggregation(settlementDate: "2026-03-29") { meteringPoints }',
        'settlementFactsPage(onDates: ["2026-03-29"], first: 5) { mpanCores }',
      ]) {
        const { status, body } = await stack.query(`{ ${field} }`, undefined, actor);
        expect({ status, errors: body.errors.map((e: { message: string; extensions: unknown }) => [e.message, e.extensions]) }).toEqual({
          status: 400,
          errors: [[`Cannot query field "${field.slice(0, field.indexOf('('))}" on type "Query".`, { code: 'GRAPHQL_VALIDATION_FAILED' }]],
        });
      }
    }
  });
});

/** A BST settlement day (two UTC days) of 300 generated MPANs, with the awkward cases added by hand below. */
const GENERATED_DATE = '2026-06-15';

describe('MDS aggregation in the database equals the per-MPAN aggregation (a generated day with every case)', () => {
  let stack: TestStack;
  const dataset = buildDataset({
    mpanCount: 300,
    settlementDates: ['2026-06-14', GENERATED_DATE, '2026-06-16'],
    runDate: null,
    seededAt: TEST_NOW,
  });
  const mpan = (index: number) => dataset.meteringPoints[index].mpanCore;

  beforeAll(async () => {
    const database = await createTestDatabase('empty');
    await migrateAll(database.url);
    await writeDataset(database.url, dataset);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      // 15-minute data in three periods of MPAN 1 (a smart one): whole, one quarter from another data service, one quarter only.
      await client.query(
        `DELETE FROM metering_data.consumption_interval WHERE mpan_core = $1 AND utc_start IN ('2026-06-15T04:00Z', '2026-06-15T04:30Z', '2026-06-15T05:00Z')`,
        [mpan(1)],
      );
      await client.query(
        `INSERT INTO metering_data.consumption_interval (mpan_core, quantity, utc_start, version, period_minutes, value, quality, data_service_id, received_at)
         SELECT $1, 'ACTIVE_IMPORT', s::timestamptz, 1, 15, v, 'ACTUAL', ds, '2026-06-16T06:00Z'
           FROM (VALUES ('2026-06-15T04:00Z', 0.101, 'SDSA'), ('2026-06-15T04:15Z', 0.102, 'SDSA'),
                        ('2026-06-15T04:30Z', 0.103, 'SDSB'), ('2026-06-15T04:45Z', 0.104, 'SDSA'),
                        ('2026-06-15T05:00Z', 0.105, 'SDSA')) AS q(s, v, ds)`,
        [mpan(1)],
      );
      // MPAN 2 changes supplier at the start of the settlement day's second UTC day: periods 1-2 and the rest differ.
      const { rows } = await client.query(
        `SELECT supplier_id FROM registration.supplier_registration WHERE mpan_core = $1 AND effective_to IS NULL`,
        [mpan(2)],
      );
      await client.query(
        `UPDATE registration.supplier_registration SET effective_to = '2026-06-15' WHERE mpan_core = $1 AND effective_to IS NULL`,
        [mpan(2)],
      );
      await client.query(`INSERT INTO registration.supplier_registration VALUES ($1, $2, '2026-06-15', NULL)`, [
        mpan(2),
        rows[0].supplier_id === 'SUPA' ? 'SUPB' : 'SUPA',
      ]);
      // MPAN 8 is de-energised from the second UTC day and keeps sending data (PRI-013); MPAN 11 turns export that day.
      for (const [index, column, value] of [
        [8, 'energisation_status', 'DE_ENERGISED'],
        [11, 'energy_direction', 'EXPORT'],
      ] as const) {
        await client.query(
          `INSERT INTO registration.standing_data
           SELECT mpan_core, '2026-06-15', gsp_group_id, market_segment, energisation_status, connection_type, energy_direction, metered, duos_tariff_id
             FROM registration.standing_data WHERE mpan_core = $1 ORDER BY effective_from DESC LIMIT 1`,
          [mpan(index)],
        );
        await client.query(`UPDATE registration.standing_data SET ${column} = $2 WHERE mpan_core = $1 AND effective_from = '2026-06-15'`, [
          mpan(index),
          value,
        ]);
      }
      // MPAN 13 has no supplier at all (its data is unattributed); MPAN 16 sent nothing that day.
      await client.query(`DELETE FROM registration.supplier_registration WHERE mpan_core = $1`, [mpan(13)]);
      await client.query(
        `DELETE FROM metering_data.consumption_interval WHERE mpan_core = $1 AND utc_start >= '2026-06-14T23:00Z' AND utc_start < '2026-06-15T23:00Z'`,
        [mpan(16)],
      );
    } finally {
      await client.end();
    }
    stack = await startTestStack(database);
  });
  afterAll(() => stack?.close());

  it('gives the same volumes, exceptions and counts in 30-minute periods, every exception type among them', async () => {
    const perMpan = await aggregate(stack, GENERATED_DATE, 'per-mpan');
    const inDatabase = await aggregate(stack, GENERATED_DATE, 'database', { pageSize: 64 });
    expect(inDatabase).toEqual(perMpan);
    expect(perMpan.meteringPoints).toBe(300);
    expect(countByType(perMpan)).toEqual({
      DATA_FOR_DE_ENERGISED: expect.any(Number),
      DATA_SERVICE_NOT_APPOINTED: 1,
      MISSING_DATA: expect.any(Number),
    });
    expect(perMpan.exceptions.filter((e) => e.mpanCore === mpan(16) && e.exceptionType === 'MISSING_DATA')).toHaveLength(48);
    expect(perMpan.unattributedIntervals).toBeGreaterThan(0);
    expect(perMpan.exportMeteringPoints).toBe(1);
    // MPAN 2's supplier differs between the day's two UTC days: both suppliers have volumes in the day.
    expect(new Set(perMpan.volumes.map((v) => v.supplierId)).size).toBe(3);
  });

  it('PRI-015: gives the same answer in 15-minute periods, where the 30-minute data is left out and reported', async () => {
    const perMpan = await aggregate(stack, GENERATED_DATE, 'per-mpan', { periodMinutes: 15 });
    const inDatabase = await aggregate(stack, GENERATED_DATE, 'database', { periodMinutes: 15, pageSize: 100 });
    expect(inDatabase).toEqual(perMpan);
    expect(perMpan.volumes.length).toBeGreaterThan(0);
  });
});
