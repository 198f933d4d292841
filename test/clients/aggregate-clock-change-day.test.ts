import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDemoDataset } from '../../dev/build-dataset';
import { runAggregation } from '../../clients/aggregate-job';
import { formatMicroUnits, parseMicroUnits } from '../../core';
import { TEST_NOW } from '../support/test-clock';
import { settlementDay } from '../../subgraphs/settlement/settlement-calendar';
import { startTestStack, TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';

// The Market-wide Data Service's job end to end on the long autumn day 2026-10-25 (50 half-hour periods): the demo
// dataset holds the day's consumption for every MPAN (MPAN 7 misses periods 20-22; MPANs i % 7 = 3 are de-energised
// but send data). The job reads it through the gateway with an MDS token, aggregates and submits the SF run.

const DATE = '2026-10-25';
const dataset = buildDemoDataset(TEST_NOW);
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };

const RUN = `query { settlementRuns(settlementDate: "${DATE}", runType: SF) {
  id status periodMinutes
  aggregatedVolumes { settlementPeriod { utcStart settlementPeriod periodsInDay } supplier { id } gspGroup { id } bmUnit { id } marketSegment volume
    mpanCount actualCount estimatedCount }
  exceptions { mpanCore settlementPeriod { settlementPeriod } exceptionType supplier { id } dataService { id } } } }`;

/** The current version of every interval of the day in the dataset (what the job must add up), in micro-kWh. */
function datasetDayTotal(): bigint {
  const day = settlementDay(DATE, 30);
  let total = 0n;
  for (const batch of dataset.intervalBatches()) {
    for (const interval of batch) {
      if (interval.supersededAt || interval.utcStart < day.utcStart || interval.utcStart >= day.utcEnd) continue;
      total += parseMicroUnits(interval.value);
    }
  }
  return total;
}

/** A volume row as comparable text: its key and its exact value. */
const volumeKey = (v: { utcStart: string; supplierId: string; gspGroupId: string; bmUnitId: string; marketSegment: string }) =>
  [v.utcStart, v.supplierId, v.gspGroupId, v.bmUnitId, v.marketSegment].join(' ');

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

async function readRun() {
  const { body } = await stack.query(RUN, undefined, MDS);
  expect(body.errors).toBeUndefined();
  expect(body.data.settlementRuns).toHaveLength(1);
  return body.data.settlementRuns[0];
}

const sumOf = (volumes: { volume: string }[]) => formatMicroUnits(volumes.reduce((sum, v) => sum + parseMicroUnits(v.volume), 0n));

describe(`the Market-wide Data Service's aggregation of the long clock-change day ${DATE}`, () => {
  let first: Awaited<ReturnType<typeof readRun>>;

  it("PRI-014/PRI-015: aggregates 50 settlement periods, with clock time from the settlement subgraph, to exactly the sum of the day's current intervals", async () => {
    const report = await runAggregation({
      gatewayUrl: stack.gatewayUrl,
      token: await stack.token(MDS),
      settlementDate: DATE,
      runType: 'SF',
    });
    expect(report).toMatchObject({
      periodCount: 50,
      clockChange: 'AUTUMN_BACK',
      meteringPoints: 50,
      unattributedIntervals: 0,
      unreportedExceptions: 0,
    });
    expect(report.run).toMatchObject({ id: `RUN-${DATE}-SF`, status: 'COMPLETED' });

    first = await readRun();
    const periods = new Set(first.aggregatedVolumes.map((v: any) => v.settlementPeriod.settlementPeriod));
    expect([...periods].sort((a: any, b: any) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(first.aggregatedVolumes.map((v: any) => v.settlementPeriod.periodsInDay))).toEqual(new Set([50]));
    // Exact: micro-kWh in BigInt on both sides, never floats.
    expect(sumOf(first.aggregatedVolumes)).toBe(formatMicroUnits(datasetDayTotal()));
    expect(report.totalVolume).toBe(formatMicroUnits(datasetDayTotal()));
  });

  it('produces, group by group, the volumes and counts the demo run was built with', async () => {
    const fromGateway = first.aggregatedVolumes.map((v: any) => ({
      key: volumeKey({
        utcStart: v.settlementPeriod.utcStart,
        supplierId: v.supplier.id,
        gspGroupId: v.gspGroup.id,
        bmUnitId: v.bmUnit.id,
        marketSegment: v.marketSegment,
      }),
      micro: parseMicroUnits(v.volume),
      counts: [v.mpanCount, v.actualCount, v.estimatedCount],
    }));
    const expected = dataset.aggregatedVolumes.map((v) => ({
      key: volumeKey({ ...v, utcStart: v.utcStart.toISOString() }),
      micro: parseMicroUnits(v.volume),
      counts: [v.mpanCount, v.actualCount, v.estimatedCount],
    }));
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    expect(fromGateway.sort(byKey)).toEqual(expected.sort(byKey));
  });

  it('PRI-010/PRI-013/PRI-009: reports the missing periods of MPAN 7 and flags the de-energised MPANs that sent data once per MPAN and period', async () => {
    const gap = dataset.meteringPoints[7].mpanCore;
    const missing = first.exceptions.filter((e: any) => e.exceptionType === 'MISSING_DATA');
    expect(missing).toEqual(
      [20, 21, 22].map((settlementPeriod) => ({
        mpanCore: gap,
        settlementPeriod: { settlementPeriod },
        exceptionType: 'MISSING_DATA',
        supplier: { id: 'SUPB' },
        dataService: { id: 'ADSA' },
      })),
    );
    const deEnergised = dataset.meteringPoints
      .filter((_, i) => i % 7 === 3)
      .map((mp) => mp.mpanCore)
      .sort();
    const flagged = first.exceptions.filter((e: any) => e.exceptionType === 'DATA_FOR_DE_ENERGISED');
    // Each sent non-zero data in all 50 periods of the day: 50 exceptions each, one per period, none repeated.
    expect([...new Set(flagged.map((e: any) => e.mpanCore))].sort()).toEqual(deEnergised);
    expect(flagged).toHaveLength(deEnergised.length * 50);
    expect(new Set(flagged.map((e: any) => `${e.mpanCore}|${e.settlementPeriod.settlementPeriod}`)).size).toBe(flagged.length);
    expect(first.exceptions).toHaveLength(missing.length + flagged.length);
  });

  it('replaces the run on a rerun (smaller pages, consumption paged too) rather than duplicating: same rows, same totals', async () => {
    const report = await runAggregation({
      gatewayUrl: stack.gatewayUrl,
      token: await stack.token(MDS),
      settlementDate: DATE,
      runType: 'SF',
      pageSize: 7,
      batchSize: 3,
      consumptionPageSize: 20,
    });
    expect(report.intervals).toBe(first.aggregatedVolumes.reduce((n: number, v: any) => n + v.mpanCount, 0));
    const again = await readRun();
    expect(again.aggregatedVolumes).toHaveLength(first.aggregatedVolumes.length);
    expect(again.aggregatedVolumes).toEqual(first.aggregatedVolumes);
    expect(again.exceptions).toEqual(first.exceptions);
    expect(sumOf(again.aggregatedVolumes)).toBe(formatMicroUnits(datasetDayTotal()));
  });

  it('lets the supplier read its own volumes and only the counts of its exceptions (PRI-009)', async () => {
    const { body } = await stack.query(
      `query { settlementRuns(settlementDate: "${DATE}", runType: SF) { aggregatedVolumes { supplier { id } } exceptionSummary { supplier { id } exceptionType count } } }`,
      undefined,
      SUPA,
    );
    const [run] = body.data.settlementRuns;
    expect(new Set(run.aggregatedVolumes.map((v: any) => v.supplier.id))).toEqual(new Set(['SUPA']));
    const ownDeEnergised = dataset.meteringPoints.filter((_, i) => i % 7 === 3 && i % 3 === 0).length;
    // Counted per MPAN and settlement period: 50 periods each.
    expect(run.exceptionSummary).toEqual([
      { supplier: { id: 'SUPA' }, exceptionType: 'DATA_FOR_DE_ENERGISED', count: ownDeEnergised * 50 },
    ]);
  });

  it('runs as `npm run aggregate` and prints a short summary', async () => {
    const { stdout } = await promisify(execFile)(
      join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'),
      ['scripts/aggregate.ts', '--date', DATE, '--run', 'SF', '--gateway', stack.gatewayUrl, '--token', await stack.token(MDS)],
      { cwd: join(__dirname, '..', '..') },
    );
    const intervals = first.aggregatedVolumes.reduce((n: number, v: any) => n + v.mpanCount, 0);
    expect(stdout.split('\n')).toEqual([
      `Settlement date ${DATE} (50 periods of 30 minutes, clock change AUTUMN_BACK), run SF`,
      // Summed in the database by default; the time it took varies from run to run.
      expect.stringMatching(
        new RegExp(
          `^  read 50 metering points, ${intervals} intervals \\(summed in the database\\): 1 page\\(s\\), facts \\d+\\.\\d\\d s, SQL \\d+\\.\\d\\d s, all \\d+\\.\\d\\d s$`,
        ),
      ),
      `  volumes: ${first.aggregatedVolumes.length} rows over 50 settlement periods, total ${formatMicroUnits(datasetDayTotal())} kWh`,
      '  exceptions: DATA_FOR_DE_ENERGISED 350, MISSING_DATA 3',
      expect.stringMatching(new RegExp(`^  submitted run RUN-${DATE}-SF: COMPLETED at \\d{4}-\\d{2}-\\d{2}T`)),
      '',
    ]);
  });
});
