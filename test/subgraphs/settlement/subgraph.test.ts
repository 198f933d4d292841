import { buildDemoDataset } from '../../../dev/build-dataset';
import { settlementDay } from '../../../subgraphs/settlement/settlement-calendar';
import { entitiesQuery, GraphQLBody, openSubgraphs, shortestDecimal, SubgraphHarness } from '../../support/subgraph-inject';
import { parseMicroUnits } from '../../../core';
import type { Actor } from '../../support/test-keys';
import { TEST_NOW } from '../../support/test-clock';

const dataset = buildDemoDataset(TEST_NOW);
const RUN_ID = 'RUN-2026-10-25-SF';
const RUN_DATE = '2026-10-25';

// The settlement calendar is readable by every role, so those tests run as the harness's default actor (the
// Registration Service). Runs, volumes and exceptions are read as the Market-wide Data Service, which sees every row;
// CRA attributes as the Central Registration Agent, which MDS may never be (PRI-003b).
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const VAS: Actor = { role: 'VOLUME_ALLOCATION_SERVICE', participant: 'VASV' };
const CRA: Actor = { role: 'CENTRAL_REGISTRATION_AGENT', participant: 'CRAG' };
/** Supplier of MPAN 0 since 2025-06-01 (SUPB before). */
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };

let harness: SubgraphHarness;
const query = (text: string, variables?: Record<string, unknown>, as?: Actor) => harness.query('settlement', text, variables, as);

/** The one error of a response, without locations. */
const onlyError = (body: GraphQLBody) => {
  expect(body.errors).toHaveLength(1);
  const { message, path, extensions } = body.errors![0];
  return { message, path, extensions };
};

beforeAll(async () => {
  harness = await openSubgraphs(['settlement']);
});

afterAll(async () => {
  await harness.close();
});

describe('settlementDay', () => {
  it.each([
    {
      date: '2026-10-27',
      minutes: 30,
      count: 48,
      clockChange: 'NONE',
      utcStart: '2026-10-27T00:00:00.000Z',
      utcEnd: '2026-10-28T00:00:00.000Z',
    },
    {
      date: '2026-03-29',
      minutes: 30,
      count: 46,
      clockChange: 'SPRING_FORWARD',
      utcStart: '2026-03-29T00:00:00.000Z',
      utcEnd: '2026-03-29T23:00:00.000Z',
    },
    {
      date: '2026-10-25',
      minutes: 30,
      count: 50,
      clockChange: 'AUTUMN_BACK',
      utcStart: '2026-10-24T23:00:00.000Z',
      utcEnd: '2026-10-26T00:00:00.000Z',
    },
    {
      date: '2026-10-27',
      minutes: 15,
      count: 96,
      clockChange: 'NONE',
      utcStart: '2026-10-27T00:00:00.000Z',
      utcEnd: '2026-10-28T00:00:00.000Z',
    },
    {
      date: '2026-03-29',
      minutes: 15,
      count: 92,
      clockChange: 'SPRING_FORWARD',
      utcStart: '2026-03-29T00:00:00.000Z',
      utcEnd: '2026-03-29T23:00:00.000Z',
    },
    {
      date: '2026-10-25',
      minutes: 15,
      count: 100,
      clockChange: 'AUTUMN_BACK',
      utcStart: '2026-10-24T23:00:00.000Z',
      utcEnd: '2026-10-26T00:00:00.000Z',
    },
  ])(
    'splits $date into $count periods of $minutes minutes ($clockChange)',
    async ({ date, minutes, count, clockChange, utcStart, utcEnd }) => {
      const body = await query(`{ settlementDay(settlementDate: "${date}", periodMinutes: ${minutes}) {
      settlementDate utcStart utcEnd periodMinutes periodCount clockChange
      periods { utcStart utcEnd periodMinutes settlementDate settlementPeriod periodsInDay clockChange } } }`);
      expect(body.errors).toBeUndefined();
      const { periods, ...day } = body.data.settlementDay;
      expect(day).toEqual({ settlementDate: date, utcStart, utcEnd, periodMinutes: minutes, periodCount: count, clockChange });
      expect(periods).toEqual(
        Array.from({ length: count }, (_, i) => ({
          utcStart: new Date(Date.parse(utcStart) + i * minutes * 60_000).toISOString(),
          utcEnd: new Date(Date.parse(utcStart) + (i + 1) * minutes * 60_000).toISOString(),
          periodMinutes: minutes,
          settlementDate: date,
          settlementPeriod: i + 1,
          periodsInDay: count,
          clockChange,
        })),
      );
    },
  );

  it('uses 30-minute periods unless asked', async () => {
    expect(await query('{ settlementDay(settlementDate: "2026-06-15") { periodMinutes periodCount utcStart } }')).toEqual({
      data: { settlementDay: { periodMinutes: 30, periodCount: 48, utcStart: '2026-06-14T23:00:00.000Z' } },
    });
  });

  it('tells the repeated autumn hour apart by its UTC offset in localStartTime', async () => {
    const body = await query('{ settlementDay(settlementDate: "2026-10-25") { periods { settlementPeriod localStartTime } } }');
    expect(body.data.settlementDay.periods.slice(0, 6)).toEqual([
      { settlementPeriod: 1, localStartTime: '2026-10-25T00:00:00+01:00' },
      { settlementPeriod: 2, localStartTime: '2026-10-25T00:30:00+01:00' },
      { settlementPeriod: 3, localStartTime: '2026-10-25T01:00:00+01:00' },
      { settlementPeriod: 4, localStartTime: '2026-10-25T01:30:00+01:00' },
      { settlementPeriod: 5, localStartTime: '2026-10-25T01:00:00+00:00' },
      { settlementPeriod: 6, localStartTime: '2026-10-25T01:30:00+00:00' },
    ]);
  });

  it('refuses a period length of 20 minutes with BAD_USER_INPUT INVALID_PERIOD_LENGTH', async () => {
    const body = await query('{ settlementDay(settlementDate: "2026-10-25", periodMinutes: 20) { periodCount } }');
    expect(body.data ?? null).toBeNull();
    expect(onlyError(body)).toEqual({
      message: 'settlement period length must be one of 15, 30 minutes (PRI-015); got 20',
      path: ['settlementDay'],
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_PERIOD_LENGTH' },
    });
  });

  it('refuses a date that does not exist with BAD_USER_INPUT INVALID_DATE', async () => {
    const body = await query('{ settlementDay(settlementDate: "2026-02-30") { periodCount } }');
    expect(body.data ?? null).toBeNull();
    const error = onlyError(body);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_DATE' });
    expect(error.message).toContain('Date: expected a calendar date "YYYY-MM-DD", got "2026-02-30"');
  });
});

describe('settlementPeriod', () => {
  const PERIOD = 'utcStart utcEnd periodMinutes settlementDate settlementPeriod periodsInDay localStartTime clockChange';

  it('places UTC starts on the clock-change days in their settlement date and period', async () => {
    const body = await query(`{
      lastOfSaturday: settlementPeriod(utcStart: "2026-10-24T22:30:00Z") { ${PERIOD} }
      firstOfAutumnDay: settlementPeriod(utcStart: "2026-10-24T23:00:00Z") { ${PERIOD} }
      secondOneOClock: settlementPeriod(utcStart: "2026-10-25T01:00:00Z") { ${PERIOD} }
      lastOfAutumnDay: settlementPeriod(utcStart: "2026-10-25T23:30:00Z") { ${PERIOD} }
      afterSpringForward: settlementPeriod(utcStart: "2026-03-29T01:00:00Z") { ${PERIOD} }
      quarterHour: settlementPeriod(utcStart: "2026-10-25T00:15:00Z", periodMinutes: 15) { ${PERIOD} }
    }`);
    const period = (
      utcStart: string,
      minutes: number,
      settlementDate: string,
      settlementPeriod: number,
      periodsInDay: number,
      localStartTime: string,
      clockChange: string,
    ) => ({
      utcStart,
      utcEnd: new Date(Date.parse(utcStart) + minutes * 60_000).toISOString(),
      periodMinutes: minutes,
      settlementDate,
      settlementPeriod,
      periodsInDay,
      localStartTime,
      clockChange,
    });
    expect(body).toEqual({
      data: {
        lastOfSaturday: period('2026-10-24T22:30:00.000Z', 30, '2026-10-24', 48, 48, '2026-10-24T23:30:00+01:00', 'NONE'),
        firstOfAutumnDay: period('2026-10-24T23:00:00.000Z', 30, '2026-10-25', 1, 50, '2026-10-25T00:00:00+01:00', 'AUTUMN_BACK'),
        secondOneOClock: period('2026-10-25T01:00:00.000Z', 30, '2026-10-25', 5, 50, '2026-10-25T01:00:00+00:00', 'AUTUMN_BACK'),
        lastOfAutumnDay: period('2026-10-25T23:30:00.000Z', 30, '2026-10-25', 50, 50, '2026-10-25T23:30:00+00:00', 'AUTUMN_BACK'),
        afterSpringForward: period('2026-03-29T01:00:00.000Z', 30, '2026-03-29', 3, 46, '2026-03-29T02:00:00+01:00', 'SPRING_FORWARD'),
        quarterHour: period('2026-10-25T00:15:00.000Z', 15, '2026-10-25', 6, 100, '2026-10-25T01:15:00+01:00', 'AUTUMN_BACK'),
      },
    });
  });

  it('refuses a start that is not on a period boundary with BAD_USER_INPUT UNALIGNED_PERIOD_START', async () => {
    const body = await query('{ settlementPeriod(utcStart: "2026-10-25T01:10:00Z") { settlementPeriod } }');
    expect(body.data ?? null).toBeNull();
    expect(onlyError(body)).toEqual({
      message:
        'settlement period start 2026-10-25T01:10:00.000Z is not on a 30-minute boundary; 30-minute periods start at whole multiples of 30 minutes of UTC, such as 2026-10-25T01:00:00.000Z',
      path: ['settlementPeriod'],
      extensions: { code: 'BAD_USER_INPUT', reason: 'UNALIGNED_PERIOD_START' },
    });
  });

  it('accepts a quarter-hour start for 15-minute periods only', async () => {
    const body = await query(`{
      fifteen: settlementPeriod(utcStart: "2026-10-25T01:15:00Z", periodMinutes: 15) { settlementPeriod }
      thirty: settlementPeriod(utcStart: "2026-10-25T01:15:00Z", periodMinutes: 30) { settlementPeriod } }`);
    expect(body.data ?? null).toBeNull();
    expect(onlyError(body).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'UNALIGNED_PERIOD_START' });
    const alone = await query('{ settlementPeriod(utcStart: "2026-10-25T01:15:00Z", periodMinutes: 15) { settlementPeriod } }');
    expect(alone).toEqual({ data: { settlementPeriod: { settlementPeriod: 10 } } });
  });

  it('refuses a period length of 20 minutes with BAD_USER_INPUT INVALID_PERIOD_LENGTH', async () => {
    const body = await query('{ settlementPeriod(utcStart: "2026-10-25T01:00:00Z", periodMinutes: 20) { settlementPeriod } }');
    expect(body.data ?? null).toBeNull();
    expect(onlyError(body)).toEqual({
      message: 'settlement period length must be one of 15, 30 minutes (PRI-015); got 20',
      path: ['settlementPeriod'],
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_PERIOD_LENGTH' },
    });
  });

  it('answers an unaligned entity representation with null and BAD_USER_INPUT at its own index, keeping the others', async () => {
    const body = await query(entitiesQuery('SettlementPeriod', 'settlementPeriod'), {
      r: [
        { __typename: 'SettlementPeriod', utcStart: '2026-10-25T01:00:00.000Z', periodMinutes: 30 },
        { __typename: 'SettlementPeriod', utcStart: '2026-10-25T01:10:00.000Z', periodMinutes: 30 },
      ],
    });
    // Like every other entity: one bad representation must not lose the whole batch the gateway sent.
    expect(body.data).toEqual({ _entities: [{ settlementPeriod: 5 }, null] });
    const error = onlyError(body);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'UNALIGNED_PERIOD_START' });
    expect(error.path?.map(String)).toEqual(['_entities', '1']);
  });
});

describe('settlement runs', () => {
  const RUN = 'id settlementDate runType status periodMinutes createdAt completedAt';
  const run = {
    id: RUN_ID,
    settlementDate: RUN_DATE,
    runType: 'SF',
    status: 'COMPLETED',
    periodMinutes: 30,
    createdAt: '2026-11-20T07:00:00.000Z',
    completedAt: '2026-11-20T07:30:00.000Z',
  };

  it('lists runs, optionally filtered by settlement date and run type', async () => {
    const body = await query(
      `{
      all: settlementRuns { ${RUN} }
      byDateAndType: settlementRuns(settlementDate: "${RUN_DATE}", runType: SF) { id }
      otherType: settlementRuns(settlementDate: "${RUN_DATE}", runType: R1) { id }
      otherDate: settlementRuns(settlementDate: "2026-10-24") { id } }`,
      undefined,
      MDS,
    );
    expect(body).toEqual({ data: { all: [run], byDateAndType: [{ id: RUN_ID }], otherType: [], otherDate: [] } });
  });

  it('answers settlementRun by id, and null for an unknown id', async () => {
    const body = await query(
      `{ known: settlementRun(id: "${RUN_ID}") { ${RUN} } unknown: settlementRun(id: "RUN-NONE") { id } }`,
      undefined,
      MDS,
    );
    expect(body).toEqual({ data: { known: run, unknown: null } });
  });
});

describe('aggregated volumes', () => {
  const VOLUME = `settlementPeriod { utcStart settlementDate settlementPeriod periodsInDay } supplier { id } gspGroup { id }
    bmUnit { id } marketSegment volume mpanCount actualCount estimatedCount`;

  it("returns the run's volumes by period, supplier, GSP group, BM unit and segment, as exact decimals", async () => {
    const body = await query(`{ settlementRun(id: "${RUN_ID}") { aggregatedVolumes { ${VOLUME} } } }`, undefined, MDS);
    expect(body.errors).toBeUndefined();
    const day = settlementDay(RUN_DATE, 30);
    const expected = [...dataset.aggregatedVolumes]
      .sort(
        (a, b) =>
          a.utcStart.getTime() - b.utcStart.getTime() ||
          a.supplierId.localeCompare(b.supplierId) ||
          a.gspGroupId.localeCompare(b.gspGroupId) ||
          a.bmUnitId.localeCompare(b.bmUnitId) ||
          a.marketSegment.localeCompare(b.marketSegment),
      )
      .map((v) => ({
        settlementPeriod: {
          utcStart: v.utcStart.toISOString(),
          settlementDate: RUN_DATE,
          settlementPeriod: (v.utcStart.getTime() - day.utcStart.getTime()) / 1_800_000 + 1,
          periodsInDay: 50,
        },
        supplier: { id: v.supplierId },
        gspGroup: { id: v.gspGroupId },
        bmUnit: { id: v.bmUnitId },
        marketSegment: v.marketSegment,
        volume: shortestDecimal(v.volume),
        mpanCount: v.mpanCount,
        actualCount: v.actualCount,
        estimatedCount: v.estimatedCount,
      }));
    expect(body.data.settlementRun.aggregatedVolumes).toEqual(expected);
  });

  it("covers the 50 periods of the autumn day and adds up exactly to the day's current interval data", async () => {
    const body = await query(
      `{ settlementRun(id: "${RUN_ID}") { aggregatedVolumes { settlementPeriod { settlementPeriod } volume mpanCount } } }`,
      undefined,
      MDS,
    );
    expect(body.errors).toBeUndefined();
    const volumes: { settlementPeriod: { settlementPeriod: number }; volume: string; mpanCount: number }[] =
      body.data.settlementRun.aggregatedVolumes;
    const periods = [...new Set(volumes.map((v) => v.settlementPeriod.settlementPeriod))].sort((a, b) => a - b);
    expect(periods).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));

    const day = settlementDay(RUN_DATE, 30);
    let intervalTotal = 0n;
    let intervalCount = 0;
    for (const batch of dataset.intervalBatches()) {
      for (const i of batch) {
        if (i.supersededAt === null && i.utcStart >= day.utcStart && i.utcStart < day.utcEnd) {
          intervalTotal += parseMicroUnits(i.value);
          intervalCount++;
        }
      }
    }
    expect(volumes.reduce((sum, v) => sum + parseMicroUnits(v.volume), 0n)).toBe(intervalTotal);
    // 50 MPANs in 50 periods, less the three periods MPAN 7 missed.
    expect(intervalCount).toBe(50 * 50 - 3);
    expect(volumes.reduce((sum, v) => sum + v.mpanCount, 0)).toBe(intervalCount);
  });

  it('filters the volumes to one supplier', async () => {
    const body = await query(
      `{ settlementRun(id: "${RUN_ID}") { aggregatedVolumes(supplierId: "SUPB") { supplier { id } volume } } }`,
      undefined,
      MDS,
    );
    const own = dataset.aggregatedVolumes.filter((v) => v.supplierId === 'SUPB');
    expect(body.data.settlementRun.aggregatedVolumes).toHaveLength(own.length);
    expect(new Set(body.data.settlementRun.aggregatedVolumes.map((v: { supplier: { id: string } }) => v.supplier.id))).toEqual(
      new Set(['SUPB']),
    );
    expect(
      body.data.settlementRun.aggregatedVolumes.reduce((sum: bigint, v: { volume: string }) => sum + parseMicroUnits(v.volume), 0n),
    ).toBe(own.reduce((sum, v) => sum + parseMicroUnits(v.volume), 0n));
  });

  it('loads the BM units and lead parties of all volumes with one statement each', async () => {
    // As the Volume Allocation Service: it sees every volume and, unlike MDS, a BM unit's lead party (PRI-003b).
    const db = harness.database('settlement');
    const before = db.statementCount;
    const body = await query(`{ settlementRun(id: "${RUN_ID}") { aggregatedVolumes { bmUnit { id leadParty { id } } } } }`, undefined, VAS);
    expect(body.errors).toBeUndefined();
    // The run, its volumes, their BM units, the units' lead parties.
    expect(db.statementCount - before).toBe(4);
  });
});

describe('exceptions', () => {
  it('summarises exceptions per supplier and type with the same counts as the detail (PRI-009)', async () => {
    const body = await query(
      `{ settlementRun(id: "${RUN_ID}") {
      exceptionSummary { supplier { id } exceptionType count }
      exceptions { supplier { id } exceptionType } } }`,
      undefined,
      MDS,
    );
    expect(body.errors).toBeUndefined();
    const { exceptionSummary, exceptions } = body.data.settlementRun;
    const counted = new Map<string, number>();
    for (const e of exceptions as { supplier: { id: string }; exceptionType: string }[]) {
      const key = `${e.supplier.id}|${e.exceptionType}`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
    const fromDetail = [...counted.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, count]) => ({ supplier: { id: key.split('|')[0] }, exceptionType: key.split('|')[1], count }));
    expect(exceptionSummary).toEqual(fromDetail);
    // Counted per MPAN and settlement period (PRI-009): SUPA's 3 de-energised MPANs have data in all 50 periods of the
    // autumn clock-change day, so 150, not 3; SUPB's 2 and SUPC's 2 give 100 each.
    expect(exceptionSummary).toEqual([
      { supplier: { id: 'SUPA' }, exceptionType: 'DATA_FOR_DE_ENERGISED', count: 150 },
      { supplier: { id: 'SUPB' }, exceptionType: 'DATA_FOR_DE_ENERGISED', count: 100 },
      { supplier: { id: 'SUPB' }, exceptionType: 'MISSING_DATA', count: 3 },
      { supplier: { id: 'SUPC' }, exceptionType: 'DATA_FOR_DE_ENERGISED', count: 100 },
    ]);
  });

  it('details the missing periods of an MPAN with their settlement periods', async () => {
    const gap = dataset.meteringPoints[7];
    const body = await query(
      `{ settlementRun(id: "${RUN_ID}") { exceptions {
      id mpanCore settlementPeriod { settlementPeriod } exceptionType supplier { id } dataService { id } detail } } }`,
      undefined,
      MDS,
    );
    const missing = body.data.settlementRun.exceptions.filter((e: { exceptionType: string }) => e.exceptionType === 'MISSING_DATA');
    expect(missing).toEqual(
      [20, 21, 22].map((period) => ({
        id: `EXC-${RUN_DATE}-${gap.mpanCore}-${period}`,
        mpanCore: gap.mpanCore,
        settlementPeriod: { settlementPeriod: period },
        exceptionType: 'MISSING_DATA',
        supplier: { id: 'SUPB' },
        dataService: { id: 'ADSA' },
        detail: `No data received for settlement period ${period}`,
      })),
    );
  });
});

describe('CRA data', () => {
  const UNIT = `id kind gspGroup { id } leadParty { id } creditAssessmentLoadFactor generationCapacityMw demandCapacityMw
    tradingUnit effectiveFrom effectiveTo`;

  it('lists every BM unit ordered by id with its CRA attributes', async () => {
    const body = await query(`{ bmUnits { ${UNIT} } }`, undefined, CRA);
    expect(body).toEqual({
      data: {
        bmUnits: [...dataset.bmUnits]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((u) => ({
            id: u.id,
            kind: u.kind,
            gspGroup: { id: u.gspGroupId },
            leadParty: { id: u.leadPartyId },
            creditAssessmentLoadFactor: shortestDecimal(u.creditAssessmentLoadFactor),
            generationCapacityMw: shortestDecimal(u.generationCapacityMw),
            demandCapacityMw: shortestDecimal(u.demandCapacityMw),
            tradingUnit: u.tradingUnit,
            effectiveFrom: u.effectiveFrom,
            effectiveTo: u.effectiveTo,
          })),
      },
    });
    expect(body.data.bmUnits.map((u: { id: string }) => u.id)).toContain('2__CSUPA001');
  });

  it('lists every BSC party ordered by id with the BM units it leads', async () => {
    const body = await query(
      '{ bscParties { id name partyRoles qualificationStatus effectiveFrom effectiveTo bmUnits { id } } }',
      undefined,
      CRA,
    );
    expect(body).toEqual({
      data: {
        bscParties: [...dataset.bscParties]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((p) => ({
            ...p,
            bmUnits: dataset.bmUnits
              .filter((u) => u.leadPartyId === p.id)
              .map((u) => ({ id: u.id }))
              .sort((a, b) => a.id.localeCompare(b.id)),
          })),
      },
    });
    expect(body.data.bscParties.find((p: { id: string }) => p.id === 'AURORA').bmUnits).toEqual([
      { id: '2__CSUPA001' },
      { id: '2__ESUPA001' },
    ]);
  });
});

describe('bmUnitAllocation', () => {
  it('shows a supplier the BM unit of its own registration from its supply start, and nothing before it (PRI-001)', async () => {
    // As SUPA, MPAN 0's supplier: of the roles that may read allocations (SUPPLIER, MDS) only a supplier may also see
    // the unit's lead party (PRI-003b).
    const mp = dataset.meteringPoints[0];
    const body = await query(
      entitiesQuery(
        'MeteringPoint',
        `
      before: bmUnitAllocation(at: "2025-05-31T23:59:59Z") { effectiveFrom }
      from: bmUnitAllocation(at: "2025-06-01T00:00:00Z") { bmUnit { id kind leadParty { id } } effectiveFrom }`,
      ),
      {
        r: [{ __typename: 'MeteringPoint', mpanCore: mp.mpanCore }],
      },
      SUPA,
    );
    expect(body).toEqual({
      data: {
        _entities: [
          {
            before: null,
            from: { bmUnit: { id: '2__CSUPA001', kind: 'SUPPLIER', leadParty: { id: 'AURORA' } }, effectiveFrom: '2025-06-01' },
          },
        ],
      },
    });
  });
});
