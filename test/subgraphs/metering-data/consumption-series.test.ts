import { buildDemoDataset, DEMO_RUN_DATE } from '../../../dev/build-dataset';
import type { Actor } from '../../support/test-keys';
import { TEST_NOW } from '../../support/test-clock';
import { startTestStack, TestStack } from '../../support/test-stack';
import { expectHidden } from '../../support/hidden-field';

// The bulk path (issue 16): compact series per metering point and settlement day, through the gateway, against the
// interval connection for the same data, with the same access rules and row scope.

const dataset = buildDemoDataset(TEST_NOW);
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const MRS: Actor = { role: 'METER_READING_SERVICE', participant: 'MRSA' };
const VAS: Actor = { role: 'VOLUME_ALLOCATION_SERVICE', participant: 'VASV' };

const SERIES_FIELDS = `mpanCore settlementDate quantity periodMinutes utcStart utcEnd periodCount intervalCount
  values qualities estimationMethods deEnergisedFlags versions`;
const PORTFOLIO = `query($date: Date!, $mpanCores: [MpanCore!], $first: Int, $after: String) {
  consumptionSeries(settlementDate: $date, mpanCores: $mpanCores, first: $first, after: $after) {
    nodes { ${SERIES_FIELDS} } pageInfo { hasNextPage endCursor }
  }
}`;
const INTERVALS = `query($mpanCores: [MpanCore!]!, $from: DateTime!, $to: DateTime!) {
  meteringPoints(mpanCores: $mpanCores) {
    mpanCore
    consumption(from: $from, to: $to, first: 2000) {
      edges { node { utcStart periodMinutes value quality estimationMethod deEnergisedFlag version } }
    }
  }
}`;

interface Series {
  mpanCore: string;
  settlementDate: string;
  periodMinutes: number;
  utcStart: string;
  utcEnd: string;
  periodCount: number;
  intervalCount: number;
  values: (string | null)[];
  qualities: (string | null)[];
  estimationMethods: (string | null)[];
  deEnergisedFlags: (boolean | null)[];
  versions: (number | null)[];
}
interface Interval {
  utcStart: string;
  periodMinutes: number;
  value: string;
  quality: string;
  estimationMethod: string | null;
  deEnergisedFlag: boolean;
  version: number;
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
  await stack?.database.drop();
});

/** Every page of a portfolio (or of named MPANs), `first` at a time, and the pages' sizes. */
async function everyPage(as: Actor, date: string, first: number, mpanCores?: string[]) {
  const series: Series[] = [];
  const pages: number[] = [];
  let after: string | null = null;
  for (;;) {
    const { body } = await stack.query(PORTFOLIO, { date, first, after, mpanCores }, as);
    expect(body.errors).toBeUndefined();
    const page = body.data.consumptionSeries;
    series.push(...page.nodes);
    pages.push(page.nodes.length);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
    expect(pages.length).toBeLessThan(100);
  }
  return { series, pages };
}

/** The series as the interval connection gives the same data: each interval at its period's position. */
function asSeries(intervals: Interval[], series: Series) {
  const start = Date.parse(series.utcStart);
  const expected = {
    values: new Array(series.periodCount).fill(null),
    qualities: new Array(series.periodCount).fill(null),
    estimationMethods: new Array(series.periodCount).fill(null),
    deEnergisedFlags: new Array(series.periodCount).fill(null),
    versions: new Array(series.periodCount).fill(null),
  };
  for (const i of intervals) {
    const position = (Date.parse(i.utcStart) - start) / (i.periodMinutes * 60_000);
    expected.values[position] = i.value;
    expected.qualities[position] = i.quality;
    expected.estimationMethods[position] = i.estimationMethod;
    expected.deEnergisedFlags[position] = i.deEnergisedFlag;
    expected.versions[position] = i.version;
  }
  return expected;
}

const mpansOf = (series: Series[]) => series.map((s) => s.mpanCore);
const sorted = (list: string[]) => [...list].sort();

describe('Query.consumptionSeries: the bulk path', () => {
  it('pages through the whole market for the MDS by MPAN core, each metering point once, matching the interval connection', async () => {
    const { series, pages } = await everyPage(MDS, DEMO_RUN_DATE, 7);
    // 50 demo metering points, all with data on the day: 8 pages of at most 7.
    expect(series).toHaveLength(dataset.meteringPoints.length);
    expect(pages.every((size) => size <= 7)).toBe(true);
    expect(mpansOf(series)).toEqual(sorted(dataset.meteringPoints.map((mp) => mp.mpanCore)));
    expect(new Set(mpansOf(series)).size).toBe(series.length);
    // The autumn clock-change day: 50 half hours from 2026-10-24T23:00Z.
    expect(series[0]).toMatchObject({
      settlementDate: DEMO_RUN_DATE,
      quantity: 'ACTIVE_IMPORT',
      periodMinutes: 30,
      utcStart: '2026-10-24T23:00:00.000Z',
      utcEnd: '2026-10-26T00:00:00.000Z',
      periodCount: 50,
    });

    const { body } = await stack.query(INTERVALS, { mpanCores: mpansOf(series), from: series[0].utcStart, to: series[0].utcEnd }, MDS);
    expect(body.errors).toBeUndefined();
    const gaps = series.filter((s) => s.intervalCount < s.periodCount);
    // The demo's gap metering point misses three periods: nulls at their positions, not a shorter list.
    expect(gaps).toHaveLength(1);
    expect(gaps[0].values.filter((v) => v === null)).toHaveLength(3);
    body.data.meteringPoints.forEach((mp: { mpanCore: string; consumption: { edges: { node: Interval }[] } }, i: number) => {
      const s = series[i];
      expect(s.mpanCore).toBe(mp.mpanCore);
      expect(s.values).toHaveLength(50);
      expect({
        values: s.values,
        qualities: s.qualities,
        estimationMethods: s.estimationMethods,
        deEnergisedFlags: s.deEnergisedFlags,
        versions: s.versions,
      }).toEqual(
        asSeries(
          mp.consumption.edges.map((e) => e.node),
          s,
        ),
      );
      expect(s.intervalCount).toBe(mp.consumption.edges.length);
    });
    // Corrected intervals show their current version (2), as the connection does.
    expect(series.some((s) => s.versions.includes(2))).toBe(true);
    expect(series.some((s) => s.qualities.includes('ESTIMATED') && s.estimationMethods.includes('PROFILE_SHAPE'))).toBe(true);
  });

  it('gives a supplier its own portfolio only: another supplier metering point is absent, also when named', async () => {
    const own = dataset.supplierRegistrations.filter((r) => r.supplierId === 'SUPA' && r.effectiveTo === null).map((r) => r.mpanCore);
    const others = dataset.meteringPoints.map((mp) => mp.mpanCore).filter((mpan) => !own.includes(mpan));
    expect(own.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);

    const { series } = await everyPage(SUPA, DEMO_RUN_DATE, 10);
    expect(mpansOf(series)).toEqual(sorted(own));

    const named = await everyPage(SUPA, DEMO_RUN_DATE, 10, [others[0], own[0]]);
    expect(mpansOf(named.series)).toEqual([own[0]]);
  });

  it('PRI-006/PRI-003b: is refused to a meter reading service and to a role with no metering data', async () => {
    for (const as of [MRS, VAS]) {
      // Hidden exactly as a field that does not exist (the audit log names the principle).
      expectHidden(await stack.query(PORTFOLIO, { date: DEMO_RUN_DATE, first: 5 }, as), 'Query.consumptionSeries');
    }
    const { body } = await stack.query(
      `query($mpan: MpanCore!) { meteringPoint(mpanCore: $mpan) { consumptionSeries(fromDate: "2026-10-25", toDate: "2026-10-25") { values } } }`,
      { mpan: dataset.meteringPoints[4].mpanCore },
      MRS,
    );
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.data).toBeUndefined();
  });

  it('refuses a page size out of range and a cursor it did not issue', async () => {
    const tooBig = await stack.query(PORTFOLIO, { date: DEMO_RUN_DATE, first: 1001 }, MDS);
    expect(tooBig.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE' });
    const forged = await stack.query(PORTFOLIO, { date: DEMO_RUN_DATE, first: 5, after: 'bm90LWEtY3Vyc29y' }, MDS);
    expect(forged.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
  });
});

describe('MeteringPoint.consumptionSeries', () => {
  it('gives one series per settlement day, 48, 46 and 48 periods over the spring clock change, as the interval connection', async () => {
    const mpanCore = dataset.meteringPoints[0].mpanCore;
    const { body } = await stack.query(
      `query($mpan: MpanCore!) { meteringPoint(mpanCore: $mpan) {
         consumptionSeries(fromDate: "2026-03-28", toDate: "2026-03-31") { ${SERIES_FIELDS} }
         consumption(from: "2026-03-27T00:00:00Z", to: "2026-04-01T00:00:00Z", first: 2000) {
           edges { node { utcStart periodMinutes value quality estimationMethod deEnergisedFlag version } }
         }
       } }`,
      { mpan: mpanCore },
      SUPA,
    );
    expect(body.errors).toBeUndefined();
    const days: Series[] = body.data.meteringPoint.consumptionSeries;
    // 2026-03-31 has no data in the demo: left out.
    expect(days.map((d) => [d.settlementDate, d.periodCount])).toEqual([
      ['2026-03-28', 48],
      ['2026-03-29', 46],
      ['2026-03-30', 48],
    ]);
    const intervals: Interval[] = body.data.meteringPoint.consumption.edges.map((e: { node: Interval }) => e.node);
    for (const day of days) {
      const inDay = intervals.filter((i) => i.utcStart >= day.utcStart && i.utcStart < day.utcEnd);
      expect(day.values).toEqual(asSeries(inDay, day).values);
      expect(day.qualities).toEqual(asSeries(inDay, day).qualities);
    }
  });

  it('refuses a range of more than 366 days or one that ends before it starts', async () => {
    const mpan = dataset.meteringPoints[0].mpanCore;
    for (const [fromDate, toDate] of [
      ['2025-01-01', '2026-01-02'],
      ['2026-03-30', '2026-03-28'],
    ]) {
      const { body } = await stack.query(
        `query($mpan: MpanCore!, $fromDate: Date!, $toDate: Date!) { meteringPoint(mpanCore: $mpan) { consumptionSeries(fromDate: $fromDate, toDate: $toDate) { mpanCore } } }`,
        { mpan, fromDate, toDate },
        MDS,
      );
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_RANGE' });
    }
  });
});
