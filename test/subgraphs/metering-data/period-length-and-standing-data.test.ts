import { buildDemoDataset } from '../../../dev/build-dataset';
import { runAggregation } from '../../../clients/aggregate-job';
import { startTestStack, TestStack } from '../../support/test-stack';
import type { Actor } from '../../support/test-keys';
import { TEST_NOW } from '../../support/test-clock';

// Through the real gateway: one period length per MPAN and settlement day (PRI-015), so that submitConsumption,
// missingPeriods and the MDS aggregation agree with what is stored; and the checks of PRI-019 against registration
// standing data (derivation for the segment, quantity for the energy direction, export not settled).

const dataset = buildDemoDataset(TEST_NOW);
const mpanAt = (index: number) => dataset.meteringPoints[index].mpanCore;

const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
const UDSA: Actor = { role: 'UNMETERED_DATA_SERVICE', participant: 'UDSA' };
const RS: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSRV' };
const MDSV: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };

/** Smart MPANs SDSA has served since 2024, energised, with no demo data in July 2026. */
const [A, B, C, D] = [1, 2, 11, 21].map(mpanAt);
/** An unmetered MPAN (index % 10 == 9), served by UDSA. */
const UNMETERED = mpanAt(9);

const SUBMIT = `mutation($input: SubmitConsumptionInput!) {
  submitConsumption(input: $input) { accepted unchanged newVersions rejected rejections { index reason message } }
}`;
const CONSUMPTION = `query($mpan: MpanCore!, $from: DateTime!, $to: DateTime!) {
  meteringPoint(mpanCore: $mpan) {
    consumption(from: $from, to: $to, first: 2000) { edges { node { utcStart periodMinutes value version versions { version periodMinutes } } } }
  }
}`;
const MISSING = `query($from: DateTime!, $to: DateTime!, $periodMinutes: Int, $mpanCores: [MpanCore!]) {
  missingPeriods(from: $from, to: $to, periodMinutes: $periodMinutes, mpanCores: $mpanCores) { mpanCore periodMinutes count ranges { from to periods } }
}`;

interface Interval {
  mpanCore: string;
  quantity: string;
  utcStart: string;
  periodMinutes: number;
  value: string;
  quality: string;
  estimationMethod?: string;
}

/** `count` consecutive intervals of `minutes` from `fromIso`, active import, actual, valued by `value(i)`. */
function periods(
  mpanCore: string,
  fromIso: string,
  count: number,
  minutes: number,
  value: (i: number) => string = () => '0.1',
): Interval[] {
  return Array.from({ length: count }, (_, i) => ({
    mpanCore,
    quantity: 'ACTIVE_IMPORT',
    utcStart: new Date(Date.parse(fromIso) + i * minutes * 60_000).toISOString(),
    periodMinutes: minutes,
    value: value(i),
    quality: 'ACTUAL',
  }));
}

// Settlement day 2026-07-11 is a UK summer day: [2026-07-10T23:00Z, 2026-07-11T23:00Z), 48 half hours or 96 quarters.
const DAY_11 = { from: '2026-07-10T23:00:00Z', to: '2026-07-11T23:00:00Z' };
const DAY_12 = { from: '2026-07-11T23:00:00Z', to: '2026-07-12T23:00:00Z' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const submit = async (intervals: Interval[], as: Actor = SDSA) => {
  const { body } = await stack.query(SUBMIT, { input: { intervals } }, as);
  return body;
};
const consumption = async (mpan: string, range: { from: string; to: string }) => {
  const { body } = await stack.query(CONSUMPTION, { mpan, ...range }, SDSA);
  expect(body.errors).toBeUndefined();
  return body.data.meteringPoint.consumption.edges.map((e: { node: unknown }) => e.node) as {
    utcStart: string;
    periodMinutes: number;
    value: string;
    version: number;
    versions: { version: number; periodMinutes: number }[];
  }[];
};
const missing = async (mpan: string, range: { from: string; to: string }, periodMinutes: number) => {
  const { body } = await stack.query(MISSING, { ...range, periodMinutes, mpanCores: [mpan] }, SDSA);
  expect(body.errors).toBeUndefined();
  return body.data.missingPeriods as { count: number; ranges: { from: string; to: string; periods: number }[] }[];
};

describe('one period length per MPAN and settlement day (PRI-015)', () => {
  it('PRI-015: refuses a call mixing 15 and 30 minutes for one MPAN and settlement day as a whole (MIXED_PERIOD_LENGTHS): nothing is stored', async () => {
    const body = await submit([
      ...periods(C, '2026-07-11T00:00:00Z', 2, 30),
      ...periods(D, '2026-07-11T00:00:00Z', 2, 30),
      ...periods(C, '2026-07-11T05:00:00Z', 1, 15),
    ]);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: `submitConsumption: ${C} has 15- and 30-minute intervals for settlement day 2026-07-11 in this call; a metering point's settlement day has periods of one length (PRI-015). Nothing was stored`,
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'MIXED_PERIOD_LENGTHS' }),
      }),
    ]);
    expect(await consumption(C, DAY_11)).toEqual([]);
    expect(await consumption(D, DAY_11)).toEqual([]);
  });

  it('PRI-015/PRI-014: the settlement day is the UK local day, not the UTC day: 22:30Z and 23:15Z of one UTC date may differ in length', async () => {
    // 2026-07-10T22:30Z is in settlement day 2026-07-10, 23:15Z in 2026-07-11 (BST).
    const body = await submit([...periods(D, '2026-07-10T22:30:00Z', 1, 30), ...periods(D, '2026-07-10T23:15:00Z', 1, 15)]);
    expect(body.data.submitConsumption).toMatchObject({ accepted: 2, rejected: 0 });
    expect(body.errors).toBeUndefined();
  });

  it('PRI-015: refuses a quarter hour inside a stored 30-minute day with CONFLICT (PERIOD_LENGTH_DIFFERS_FROM_STORED), and the stored day stays as it was', async () => {
    const day = periods(A, DAY_11.from, 48, 30);
    expect((await submit(day)).data.submitConsumption).toMatchObject({ accepted: 48, rejected: 0 });

    const body = await submit([...periods(A, '2026-07-11T10:15:00Z', 1, 15, () => '0.3'), ...periods(B, DAY_11.from, 1, 30)]);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: `submitConsumption: ${A} has 48 current 30-minute interval(s) on settlement day 2026-07-11; 15-minute data for that day is accepted only as a whole-day replacement: all 96 periods of ACTIVE_IMPORT in one call (PRI-015). Nothing was stored`,
        extensions: expect.objectContaining({ code: 'CONFLICT', reason: 'PERIOD_LENGTH_DIFFERS_FROM_STORED' }),
      }),
    ]);
    const stored = await consumption(A, DAY_11);
    expect(stored).toHaveLength(48);
    expect(stored.every((i) => i.periodMinutes === 30 && i.version === 1)).toBe(true);
    // B's valid interval of the same call was not stored either: the call is one transaction.
    expect(await consumption(B, DAY_11)).toEqual([]);
    // A day with one quarter hour short is not a whole-day replacement.
    const short = await submit(periods(A, DAY_11.from, 95, 15));
    expect(short.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'PERIOD_LENGTH_DIFFERS_FROM_STORED' });
  });

  it('PRI-015: a whole settlement day at the other length replaces the stored day; the half hours stay readable as earlier versions', async () => {
    const body = await submit(periods(A, DAY_11.from, 96, 15, (i) => (i % 2 === 0 ? '0.1' : '0.2')));
    expect(body.errors).toBeUndefined();
    // The 48 quarter hours starting on a half hour replace it (version 2); the other 48 are new.
    expect(body.data.submitConsumption).toMatchObject({ accepted: 96, newVersions: 48, rejected: 0 });
    const stored = await consumption(A, DAY_11);
    expect(stored).toHaveLength(96);
    expect(new Set(stored.map((i) => i.periodMinutes))).toEqual(new Set([15]));
    expect(stored[0]).toMatchObject({
      utcStart: '2026-07-10T23:00:00.000Z',
      version: 2,
      versions: [
        { version: 2, periodMinutes: 15 },
        { version: 1, periodMinutes: 30 },
      ],
    });
    expect(stored[1]).toMatchObject({ utcStart: '2026-07-10T23:15:00.000Z', version: 1 });
    expect(await missing(A, DAY_11, 30)).toEqual([]);
    expect(await missing(A, DAY_11, 15)).toEqual([]);

    // And back: a whole day of half hours supersedes every quarter hour, those with no half hour of their own too.
    const back = await submit(periods(A, DAY_11.from, 48, 30, () => '0.3'));
    expect(back.data.submitConsumption).toMatchObject({ accepted: 48, newVersions: 48 });
    const halfHours = await consumption(A, DAY_11);
    expect(halfHours.map((i) => [i.periodMinutes, i.version])).toEqual(Array.from({ length: 48 }, () => [30, 3]));
  });

  it('PRI-015/PRI-010: missingPeriods and the MDS aggregation agree: a half hour with one quarter hour is missing, and no quarter hour is dropped', async () => {
    // B's settlement day 2026-07-12 in quarter hours, all but the quarter hour 10:15Z.
    const quarters = periods(B, DAY_12.from, 96, 15, (i) => (i % 2 === 0 ? '0.1' : '0.2')).filter(
      (i) => i.utcStart !== '2026-07-12T10:15:00.000Z',
    );
    expect((await submit(quarters)).data.submitConsumption).toMatchObject({ accepted: 95, rejected: 0 });

    expect(await missing(B, DAY_12, 30)).toEqual([
      {
        mpanCore: B,
        periodMinutes: 30,
        count: 1,
        ranges: [{ from: '2026-07-12T10:00:00.000Z', to: '2026-07-12T10:30:00.000Z', periods: 1 }],
      },
    ]);
    expect(await missing(B, DAY_12, 15)).toEqual([
      {
        mpanCore: B,
        periodMinutes: 15,
        count: 1,
        ranges: [{ from: '2026-07-12T10:15:00.000Z', to: '2026-07-12T10:30:00.000Z', periods: 1 }],
      },
    ]);

    const report = await runAggregation({
      gatewayUrl: stack.gatewayUrl,
      token: await stack.token(MDSV),
      settlementDate: '2026-07-12',
      runType: 'SF',
    });
    // B is the only metering point with data that day: each full half hour holds both its quarter hours (0.1 + 0.2).
    const volumeAt = (utcStart: string) => report.volumes.filter((v) => v.utcStart === utcStart).map((v) => v.volume);
    expect(volumeAt('2026-07-12T09:00:00.000Z')).toEqual(['0.3']);
    expect(volumeAt('2026-07-12T10:00:00.000Z')).toEqual(['0.1']);
    expect(report.totalVolume).toBe('14.2'); // 47 full half hours × 0.3 + the 0.1 of the half hour with one quarter
    expect(report.exceptions.filter((e) => e.mpanCore === B)).toEqual([
      expect.objectContaining({ utcStart: '2026-07-12T10:00:00.000Z', exceptionType: 'MISSING_DATA' }),
    ]);
    expect(report.unsettledIntervals).toBe(0);
  });

  it('PRI-015: a day stored in half hours is missing at 15 minutes, as a 15-minute run cannot split it', async () => {
    expect((await submit(periods(C, DAY_12.from, 48, 30))).data.submitConsumption).toMatchObject({ accepted: 48 });
    expect(await missing(C, DAY_12, 30)).toEqual([]);
    expect(await missing(C, DAY_12, 15)).toEqual([expect.objectContaining({ count: 96 })]);
  });
});

describe('checks against registration standing data (PRI-019)', () => {
  const reasons = (body: { data: { submitConsumption: { rejections: { reason: string }[] } } }) =>
    body.data.submitConsumption.rejections.map((r) => r.reason);

  it('PRI-019: UMS_CALCULATED is refused for a metered smart meter, ACTUAL for an unmetered supply (DERIVATION_NOT_FOR_SEGMENT)', async () => {
    const smart = { ...periods(D, '2026-07-20T10:00:00Z', 1, 30)[0], quality: 'UMS_CALCULATED' };
    const body = await submit([smart, { ...smart, utcStart: '2026-07-20T10:30:00Z', quality: 'DEEMED' }]);
    expect(reasons(body)).toEqual(['DERIVATION_NOT_FOR_SEGMENT']);
    expect(body.data.submitConsumption.rejections[0].message).toBe(
      `UMS_CALCULATED data is not derived in the SMART segment, where ${D} is on 2026-07-20; it takes ACTUAL, ESTIMATED, DEEMED (PRI-019, PRI-005)`,
    );
    expect(body.data.submitConsumption.accepted).toBe(1);

    const unmetered = periods(UNMETERED, '2026-07-20T10:00:00Z', 2, 30);
    const answer = await submit([unmetered[0], { ...unmetered[1], quality: 'UMS_CALCULATED' }], UDSA);
    expect(reasons(answer)).toEqual(['DERIVATION_NOT_FOR_SEGMENT']);
    expect(answer.data.submitConsumption.accepted).toBe(1);
  });

  it('PRI-019: ACTIVE_EXPORT is refused for an import metering point (QUANTITY_NOT_FOR_ENERGY_DIRECTION)', async () => {
    const body = await submit([{ ...periods(D, '2026-07-21T10:00:00Z', 1, 30)[0], quantity: 'ACTIVE_EXPORT' }]);
    expect(body.data.submitConsumption.rejections).toEqual([
      {
        index: 0,
        reason: 'QUANTITY_NOT_FOR_ENERGY_DIRECTION',
        message: `ACTIVE_EXPORT is not measured at ${D}: it is an IMPORT metering point on 2026-07-21, whose registers record ACTIVE_IMPORT only (PRI-019)`,
      },
    ]);
  });

  it('PRI-019: data of an export metering point is refused with EXPORT_NOT_SETTLED from the day registration says it exports', async () => {
    // The Registration Service records C as an export metering point from 2026-08-01; standing data is read at request time.
    const { body: standing } = await stack.query(
      `query($mpan: MpanCore!) { meteringPoint(mpanCore: $mpan) { standingData { gspGroup { id } marketSegment energisationStatus connectionType metered duosTariffId } } }`,
      { mpan: C },
      RS,
    );
    const now = standing.data.meteringPoint.standingData;
    const { body: recorded } = await stack.query(
      `mutation($input: RecordStandingDataInput!) { recordStandingData(input: $input) { effectiveFrom energyDirection } }`,
      {
        input: {
          mpanCore: C,
          effectiveFrom: '2026-08-01',
          gspGroupId: now.gspGroup.id,
          marketSegment: now.marketSegment,
          energisationStatus: now.energisationStatus,
          connectionType: now.connectionType,
          energyDirection: 'EXPORT',
          metered: now.metered,
          duosTariffId: now.duosTariffId,
        },
      },
      RS,
    );
    expect(recorded.errors).toBeUndefined();

    const exported = { ...periods(C, '2026-08-02T10:00:00Z', 1, 30)[0], quantity: 'ACTIVE_EXPORT' };
    const body = await submit([
      exported,
      { ...exported, quantity: 'ACTIVE_IMPORT' },
      { ...exported, utcStart: '2026-07-31T10:00:00Z', quantity: 'ACTIVE_IMPORT' },
    ]);
    expect(body.data.submitConsumption.rejections).toEqual([
      {
        index: 0,
        reason: 'EXPORT_NOT_SETTLED',
        message: `${C} is an EXPORT metering point on 2026-08-02; export is not settled by this platform yet (settlement aggregates import only), so its data is not accepted (PRI-019)`,
      },
      expect.objectContaining({ index: 1, reason: 'QUANTITY_NOT_FOR_ENERGY_DIRECTION' }),
    ]);
    // Before the change it was an import metering point: its import data is taken.
    expect(body.data.submitConsumption.accepted).toBe(1);

    // Settlement expects no import data of an export metering point: no MISSING_DATA for it, and it is counted.
    const report = await runAggregation({
      gatewayUrl: stack.gatewayUrl,
      token: await stack.token(MDSV),
      settlementDate: '2026-08-02',
      runType: 'SF',
    });
    expect(report.exportMeteringPoints).toBe(1);
    expect(report.exceptions.filter((e) => e.mpanCore === C)).toEqual([]);
    expect(report.exceptions.filter((e) => e.mpanCore === D).length).toBeGreaterThan(0);
  });
});
