import { buildDemoDataset } from '../../../dev/build-dataset';
import { startTestStack, TestStack } from '../../support/test-stack';
import type { Actor } from '../../support/test-keys';
import { TEST_NOW } from '../../support/test-clock';
import { expectHidden } from '../../support/hidden-field';

// submitAggregation through the real gateway with role tokens. Each test submits for a settlement date and run type
// of its own, so runs never meet. Demo BM units: supplier units 2__<C|E><SUPA|SUPB|SUPC>001 in GSP groups _C and _E,
// and the directly connected T_STAY-2 in _E.

const dataset = buildDemoDataset(TEST_NOW);
const mpan = (index: number) => dataset.meteringPoints[index].mpanCore;

const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const VAS: Actor = { role: 'VOLUME_ALLOCATION_SERVICE', participant: 'VASV' };
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };

const SUBMIT = `mutation($input: SubmitAggregationInput!) {
  submitAggregation(input: $input) { id settlementDate runType status periodMinutes } }`;
const RUN = `query($date: Date!, $run: SettlementRunType!) { settlementRuns(settlementDate: $date, runType: $run) {
  id createdAt completedAt
  aggregatedVolumes { settlementPeriod { settlementDate settlementPeriod periodsInDay } supplier { id } gspGroup { id } bmUnit { id }
    marketSegment volume mpanCount actualCount estimatedCount }
  exceptions { mpanCore settlementPeriod { settlementPeriod } exceptionType supplier { id } dataService { id } detail } } }`;

interface VolumeInput {
  utcStart: string;
  supplierId: string;
  gspGroupId: string;
  bmUnitId: string;
  marketSegment: string;
  volume: string;
  mpanCount: number;
  actualCount: number;
  estimatedCount: number;
}

/** A volume of SUPA's Smart MPANs in London (_C) for the period starting at `utcStart`. */
const volume = (utcStart: string, changes: Partial<VolumeInput> = {}): VolumeInput => ({
  utcStart,
  supplierId: 'SUPA',
  gspGroupId: '_C',
  bmUnitId: '2__CSUPA001',
  marketSegment: 'SMART',
  volume: '12.345',
  mpanCount: 3,
  actualCount: 2,
  estimatedCount: 1,
  ...changes,
});

/** An exception of MPAN `index` for the period starting at `utcStart`. */
const exception = (index: number, utcStart: string, changes: Record<string, string> = {}) => ({
  mpanCore: mpan(index),
  utcStart,
  exceptionType: 'MISSING_DATA',
  supplierId: 'SUPA',
  dataServiceId: 'SDSA',
  detail: 'No data received',
  ...changes,
});

interface Submission {
  settlementDate: string;
  runType: string;
  periodMinutes?: number;
  volumes: VolumeInput[];
  exceptions?: ReturnType<typeof exception>[];
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const submit = (input: Submission, as: Actor = MDS) => stack.query(SUBMIT, { input }, as);

/** The runs of (date, run type) as the Market-wide Data Service reads them. */
async function runs(date: string, run: string) {
  const { body } = await stack.query(RUN, { date, run }, MDS);
  expect(body.errors).toBeUndefined();
  return body.data.settlementRuns;
}

/** The one error of a response: its message, code and reason. */
function refusal(body: any) {
  expect(body.errors).toHaveLength(1);
  const [{ message, extensions }] = body.errors;
  return { message, code: extensions.code, reason: extensions.reason };
}

describe('submitAggregation', () => {
  it('is refused to every role but the Market-wide Data Service', async () => {
    for (const as of [SUPA, VAS, SDSA]) {
      const { status, body } = await submit({ settlementDate: '2026-10-20', runType: 'SF', volumes: [] }, as);
      expectHidden({ status, body }, 'Mutation.submitAggregation');
    }
    expect(await runs('2026-10-20', 'SF')).toEqual([]);
  });

  it('stores the volumes and exceptions of a run and returns the run', async () => {
    const { body } = await submit({
      settlementDate: '2026-10-27',
      runType: 'II',
      volumes: [
        volume('2026-10-27T00:00:00Z'),
        volume('2026-10-27T23:30:00Z', {
          supplierId: 'SUPB',
          gspGroupId: '_E',
          bmUnitId: '2__ESUPB001',
          marketSegment: 'ADVANCED',
          volume: '6500.000001',
          mpanCount: 1,
          actualCount: 0,
          estimatedCount: 1,
        }),
      ],
      exceptions: [exception(7, '2026-10-27T09:30:00Z')],
    });
    expect(body).toEqual({
      data: {
        submitAggregation: { id: 'RUN-2026-10-27-II', settlementDate: '2026-10-27', runType: 'II', status: 'COMPLETED', periodMinutes: 30 },
      },
    });
    const [run] = await runs('2026-10-27', 'II');
    expect(run.aggregatedVolumes).toEqual([
      {
        settlementPeriod: { settlementDate: '2026-10-27', settlementPeriod: 1, periodsInDay: 48 },
        supplier: { id: 'SUPA' },
        gspGroup: { id: '_C' },
        bmUnit: { id: '2__CSUPA001' },
        marketSegment: 'SMART',
        volume: '12.345',
        mpanCount: 3,
        actualCount: 2,
        estimatedCount: 1,
      },
      {
        settlementPeriod: { settlementDate: '2026-10-27', settlementPeriod: 48, periodsInDay: 48 },
        supplier: { id: 'SUPB' },
        gspGroup: { id: '_E' },
        bmUnit: { id: '2__ESUPB001' },
        marketSegment: 'ADVANCED',
        volume: '6500.000001',
        mpanCount: 1,
        actualCount: 0,
        estimatedCount: 1,
      },
    ]);
    expect(run.exceptions).toEqual([
      {
        mpanCore: mpan(7),
        settlementPeriod: { settlementPeriod: 20 },
        exceptionType: 'MISSING_DATA',
        supplier: { id: 'SUPA' },
        dataService: { id: 'SDSA' },
        detail: 'No data received',
      },
    ]);
  });

  it('PRI-014: refuses a period start that is not in the settlement date, which the settlement calendar alone decides', async () => {
    // 2026-10-25 is the long autumn day: 2026-10-24T23:00Z to 2026-10-26T00:00Z.
    const day = '2026-10-25 runs from 2026-10-24T23:00:00.000Z to 2026-10-26T00:00:00.000Z (UTC) in 50 periods of 30 minutes';
    expect(
      refusal(
        (
          await submit({
            settlementDate: '2026-10-25',
            runType: 'R1',
            volumes: [volume('2026-10-24T23:00:00Z'), volume('2026-10-24T22:30:00Z')],
          })
        ).body,
      ),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'PERIOD_NOT_IN_SETTLEMENT_DATE',
      message: `volumes[1].utcStart: 2026-10-24T22:30:00.000Z starts period 48 of settlement date 2026-10-24, not of 2026-10-25 (PRI-014); ${day}`,
    });
    expect(
      refusal(
        (await submit({ settlementDate: '2026-10-25', runType: 'R1', volumes: [], exceptions: [exception(7, '2026-10-26T00:00:00Z')] }))
          .body,
      ),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'PERIOD_NOT_IN_SETTLEMENT_DATE',
      message: `exceptions[0].utcStart: 2026-10-26T00:00:00.000Z starts period 1 of settlement date 2026-10-26, not of 2026-10-25 (PRI-014); ${day}`,
    });
    expect(await runs('2026-10-25', 'R1')).toEqual([]);
  });

  it('PRI-015: refuses a period start not aligned to the period length, and takes 15-minute periods when told', async () => {
    expect(
      refusal((await submit({ settlementDate: '2026-10-26', runType: 'R2', volumes: [volume('2026-10-26T00:15:00Z')] })).body),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'UNALIGNED_PERIOD_START',
      message:
        'volumes[0].utcStart: settlement period start 2026-10-26T00:15:00.000Z is not on a 30-minute boundary; 30-minute periods start at whole multiples of 30 minutes of UTC, such as 2026-10-26T00:00:00.000Z',
    });
    expect(refusal((await submit({ settlementDate: '2026-10-26', runType: 'R2', periodMinutes: 20, volumes: [] })).body)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_PERIOD_LENGTH',
    });
    const { body } = await submit({
      settlementDate: '2026-10-26',
      runType: 'R2',
      periodMinutes: 15,
      volumes: [volume('2026-10-26T00:15:00Z')],
    });
    expect(body.data.submitAggregation.periodMinutes).toBe(15);
    const [run] = await runs('2026-10-26', 'R2');
    expect(run.aggregatedVolumes.map((v: any) => v.settlementPeriod)).toEqual([
      { settlementDate: '2026-10-26', settlementPeriod: 2, periodsInDay: 96 },
    ]);
  });

  it('refuses a BM unit that is not registered, or not in the GSP group of the volume', async () => {
    const date = '2026-10-28';
    expect(
      refusal(
        (await submit({ settlementDate: date, runType: 'SF', volumes: [volume(`${date}T10:00:00Z`, { bmUnitId: '2__CNOPE001' })] })).body,
      ),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_BM_UNIT',
      message: 'volumes[0].bmUnitId: no BM unit "2__CNOPE001" is registered; give the id of a registered BM unit (Query.bmUnits)',
    });
    expect(
      refusal(
        (await submit({ settlementDate: date, runType: 'SF', volumes: [volume(`${date}T10:00:00Z`, { bmUnitId: '2__ESUPA001' })] })).body,
      ),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'BM_UNIT_NOT_IN_GSP_GROUP',
      message: "volumes[0].bmUnitId: BM unit 2__ESUPA001 is in GSP group _E, not _C; give a BM unit of the volume's GSP group",
    });
    expect(await runs(date, 'SF')).toEqual([]);
  });

  it('refuses counts that do not add up and a volume key given twice', async () => {
    const date = '2026-10-29';
    expect(
      refusal((await submit({ settlementDate: date, runType: 'SF', volumes: [volume(`${date}T10:00:00Z`, { mpanCount: 4 })] })).body),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_COUNTS',
      message:
        'volumes[0]: counts must be zero or more with actualCount + estimatedCount = mpanCount (one interval per MPAN and period); got mpanCount 4, actualCount 2, estimatedCount 1',
    });
    expect(
      refusal(
        (
          await submit({
            settlementDate: date,
            runType: 'SF',
            volumes: [volume(`${date}T10:00:00Z`), volume(`${date}T10:30:00Z`), volume(`${date}T10:00:00Z`)],
          })
        ).body,
      ),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'DUPLICATE_VOLUME',
      message:
        'volumes[2] repeats volumes[0] (2026-10-29T10:00:00.000Z SUPA _C 2__CSUPA001 SMART); send one volume per settlement period, supplier, GSP group, BM unit and segment',
    });
  });

  it('replaces the previous volumes and exceptions on a rerun for the same date and run type, never duplicating', async () => {
    const date = '2026-10-30';
    await submit({
      settlementDate: date,
      runType: 'R3',
      volumes: [volume(`${date}T00:00:00Z`), volume(`${date}T00:30:00Z`)],
      exceptions: [exception(7, `${date}T01:00:00Z`)],
    });
    const [first] = await runs(date, 'R3');
    const { body } = await submit({
      settlementDate: date,
      runType: 'R3',
      volumes: [volume(`${date}T05:00:00Z`, { volume: '1' })],
      exceptions: [],
    });
    expect(body.data.submitAggregation.id).toBe(first.id);
    const all = await runs(date, 'R3');
    expect(all).toHaveLength(1);
    expect(all[0].aggregatedVolumes).toEqual([
      expect.objectContaining({ settlementPeriod: { settlementDate: date, settlementPeriod: 11, periodsInDay: 48 }, volume: '1' }),
    ]);
    expect(all[0].exceptions).toEqual([]);
    expect(all[0].createdAt).toBe(first.createdAt);
    expect(Date.parse(all[0].completedAt)).toBeGreaterThanOrEqual(Date.parse(first.completedAt));
  });

  it('changes nothing when a rerun is refused: the previous results stay whole', async () => {
    const date = '2026-10-31';
    await submit({
      settlementDate: date,
      runType: 'RF',
      volumes: [volume(`${date}T00:00:00Z`)],
      exceptions: [exception(7, `${date}T01:00:00Z`)],
    });
    const before = await runs(date, 'RF');
    const refused = await submit({
      settlementDate: date,
      runType: 'RF',
      volumes: [volume(`${date}T02:00:00Z`), volume(`${date}T02:30:00Z`, { bmUnitId: 'T_NOPE-1' })],
    });
    expect(refusal(refused.body).reason).toBe('UNKNOWN_BM_UNIT');
    expect(await runs(date, 'RF')).toEqual(before);
  });

  it('leaves exactly one of two submissions of one run sent at once, never a mix of both', async () => {
    const date = '2026-11-01';
    const a = {
      settlementDate: date,
      runType: 'DF',
      volumes: [volume(`${date}T00:00:00Z`, { volume: '1' }), volume(`${date}T00:30:00Z`, { volume: '1' })],
    };
    const b = { settlementDate: date, runType: 'DF', volumes: [volume(`${date}T01:00:00Z`, { volume: '2' })] };
    const answers = await Promise.all([submit(a), submit(b)]);
    for (const { body } of answers) expect(body.errors).toBeUndefined();
    const all = await runs(date, 'DF');
    expect(all).toHaveLength(1);
    const volumes = all[0].aggregatedVolumes.map((v: any) => v.volume);
    expect([['1', '1'], ['2']]).toContainEqual(volumes);
  });
});

describe('who sees the results of a run (PRI-009)', () => {
  const date = '2026-11-02';
  beforeAll(async () => {
    const { body } = await submit({
      settlementDate: date,
      runType: 'SF',
      volumes: [volume(`${date}T00:00:00Z`), volume(`${date}T00:00:00Z`, { supplierId: 'SUPB', bmUnitId: '2__CSUPB001' })],
      exceptions: [
        exception(0, `${date}T01:00:00Z`),
        exception(0, `${date}T01:30:00Z`),
        exception(6, `${date}T01:00:00Z`, { dataServiceId: 'ADSA', exceptionType: 'DATA_SERVICE_NOT_APPOINTED' }),
        exception(1, `${date}T01:00:00Z`, { supplierId: 'SUPB' }),
      ],
    });
    expect(body.errors).toBeUndefined();
  });

  const RESULTS = (fields: string) => `query { settlementRuns(settlementDate: "${date}", runType: SF) { ${fields} } }`;

  it('PRI-009: a supplier sees the total number of each type of exception for itself, never the detail', async () => {
    const counts = await stack.query(RESULTS('exceptionSummary { supplier { id } exceptionType count }'), undefined, SUPA);
    expect(counts.body.data.settlementRuns[0].exceptionSummary).toEqual(
      expect.arrayContaining([
        { supplier: { id: 'SUPA' }, exceptionType: 'MISSING_DATA', count: 2 },
        { supplier: { id: 'SUPA' }, exceptionType: 'DATA_SERVICE_NOT_APPOINTED', count: 1 },
      ]),
    );
    expect(counts.body.data.settlementRuns[0].exceptionSummary).toHaveLength(2);
    const detail = await stack.query(RESULTS('exceptions { mpanCore }'), undefined, SUPA);
    expectHidden(detail, 'SettlementRun.exceptions');
  });

  it('PRI-009: a data service sees the detail of the exceptions about its own data only', async () => {
    const { body } = await stack.query(
      RESULTS('exceptions { mpanCore settlementPeriod { settlementPeriod } exceptionType dataService { id } }'),
      undefined,
      SDSA,
    );
    expect(body.data.settlementRuns[0].exceptions).toEqual([
      { mpanCore: mpan(0), settlementPeriod: { settlementPeriod: 3 }, exceptionType: 'MISSING_DATA', dataService: { id: 'SDSA' } },
      { mpanCore: mpan(1), settlementPeriod: { settlementPeriod: 3 }, exceptionType: 'MISSING_DATA', dataService: { id: 'SDSA' } },
      { mpanCore: mpan(0), settlementPeriod: { settlementPeriod: 4 }, exceptionType: 'MISSING_DATA', dataService: { id: 'SDSA' } },
    ]);
  });

  it('shows a supplier its own volumes only', async () => {
    const { body } = await stack.query(RESULTS('aggregatedVolumes { supplier { id } volume }'), undefined, SUPA);
    expect(body.data.settlementRuns[0].aggregatedVolumes).toEqual([{ supplier: { id: 'SUPA' }, volume: '12.345' }]);
  });
});
