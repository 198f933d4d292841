import { startTestStack, TestStack } from '../../support/test-stack';
import { createTestDatabase } from '../../support/test-database';
import { TEST_NOW } from '../../support/test-clock';
import { buildDemoDataset } from '../../../dev/build-dataset';
import { runAggregation } from '../../../clients/aggregate-job';
import type { Actor } from '../../support/test-keys';

// BM unit allocation as a process, through the gateway (DOMAIN.md "Supplier BM units and allocation", PRI-001): the
// registered supplier's base unit of the GSP group in force applies unless it allocates another of its own units; a
// GSP group change moves the allocation; the aggregation books each settlement date to the allocation in force then.

const dataset = buildDemoDataset(TEST_NOW);
const IDNO_MPAN = dataset.meteringPoints[4].mpanCore; // SUPB's, on an iDNO network in GSP group _C; SDSA is its data service
const MPAN_IN_E = dataset.meteringPoints[1].mpanCore; // SUPB's, in GSP group _E
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
const MDSV: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const RSVC: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' };
const TOMORROW = '2026-11-28';
const GSP_CHANGE = '2026-12-02';

const ALLOCATE = `mutation($input: AllocateBmUnitInput!) { allocateBmUnit(input: $input) { bmUnit { id } effectiveFrom effectiveTo } }`;
const ALLOCATION = `query($m: MpanCore!, $a: DateTime!, $b: DateTime!, $c: DateTime!) { meteringPoint(mpanCore: $m) {
  today: bmUnitAllocation(at: $a) { bmUnit { id } effectiveFrom effectiveTo }
  tomorrow: bmUnitAllocation(at: $b) { bmUnit { id } effectiveFrom effectiveTo }
  afterGspChange: bmUnitAllocation(at: $c) { bmUnit { id } effectiveFrom effectiveTo }
} }`;
const days = { a: '2026-11-27T12:00:00Z', b: `${TOMORROW}T00:00:00Z`, c: `${GSP_CHANGE}T00:00:00Z` };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(await createTestDatabase('demo'));
});
afterAll(() => stack.close());

async function allocate(input: Record<string, unknown>, as: Actor) {
  return (await stack.query(ALLOCATE, { input }, as)).body;
}

describe('allocateBmUnit: a supplier allocates a metering point to another of its own BM units (PRI-001)', () => {
  it('refuses an effective date before today: RETROSPECTIVE_ALLOCATION', async () => {
    const body = await allocate({ mpanCore: IDNO_MPAN, bmUnitId: '2__CSUPB002', effectiveFrom: '2026-11-26' }, SUPB);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RETROSPECTIVE_ALLOCATION' });
  });

  it("refuses another supplier's unit: BM_UNIT_NOT_OWN", async () => {
    const body = await allocate({ mpanCore: IDNO_MPAN, bmUnitId: '2__CSUPA001', effectiveFrom: TOMORROW }, SUPB);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BM_UNIT_NOT_OWN' });
  });

  it("refuses a unit of another GSP group than the metering point's: BM_UNIT_NOT_IN_GSP_GROUP", async () => {
    const body = await allocate({ mpanCore: MPAN_IN_E, bmUnitId: '2__CSUPB002', effectiveFrom: TOMORROW }, SUPB);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BM_UNIT_NOT_IN_GSP_GROUP' });
  });

  it('refuses a supplier not registered on the effective date exactly as an unknown MPAN: SUPPLIER_NOT_REGISTERED', async () => {
    const notOurs = await allocate({ mpanCore: IDNO_MPAN, bmUnitId: '2__CSUPA001', effectiveFrom: TOMORROW }, SUPA);
    const unknown = await allocate({ mpanCore: '1000000000012', bmUnitId: '2__CSUPA001', effectiveFrom: TOMORROW }, SUPA);
    expect(notOurs.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'SUPPLIER_NOT_REGISTERED' });
    expect(unknown.errors[0].extensions).toEqual(notOurs.errors[0].extensions);
  });

  it('allocates its additional unit from the effective date; the base unit applies before it', async () => {
    expect((await allocate({ mpanCore: IDNO_MPAN, bmUnitId: '2__CSUPB002', effectiveFrom: TOMORROW }, SUPB)).data).toEqual({
      allocateBmUnit: { bmUnit: { id: '2__CSUPB002' }, effectiveFrom: TOMORROW, effectiveTo: null },
    });
    const { body } = await stack.query(ALLOCATION, { m: IDNO_MPAN, ...days }, SUPB);
    expect(body.data.meteringPoint).toEqual({
      today: { bmUnit: { id: '2__CSUPB001' }, effectiveFrom: '2024-01-01', effectiveTo: TOMORROW },
      tomorrow: { bmUnit: { id: '2__CSUPB002' }, effectiveFrom: TOMORROW, effectiveTo: null },
      afterGspChange: { bmUnit: { id: '2__CSUPB002' }, effectiveFrom: TOMORROW, effectiveTo: null },
    });
  });
});

describe('a GSP group change moves the allocation, and the aggregation follows it day by day', () => {
  it("moves the metering point to the supplier's base unit in the new GSP group from the change", async () => {
    const { body: recorded } = await stack.query(
      `mutation($input: RecordStandingDataInput!) { recordStandingData(input: $input) { effectiveFrom } }`,
      {
        input: {
          mpanCore: IDNO_MPAN,
          effectiveFrom: GSP_CHANGE,
          gspGroupId: '_E', // an iDNO may serve any of its GSP groups (PRI-012)
          marketSegment: 'SMART',
          energisationStatus: 'ENERGISED',
          connectionType: 'WHOLE_CURRENT',
          energyDirection: 'IMPORT',
          metered: true,
          duosTariffId: dataset.standingData.find((s) => s.mpanCore === IDNO_MPAN)!.duosTariffId,
        },
      },
      RSVC,
    );
    expect(recorded.errors).toBeUndefined();
    const { body } = await stack.query(ALLOCATION, { m: IDNO_MPAN, ...days }, MDSV);
    expect(body.data.meteringPoint.tomorrow).toEqual({ bmUnit: { id: '2__CSUPB002' }, effectiveFrom: TOMORROW, effectiveTo: GSP_CHANGE });
    expect(body.data.meteringPoint.afterGspChange).toEqual({ bmUnit: { id: '2__ESUPB001' }, effectiveFrom: GSP_CHANGE, effectiveTo: null });
  });

  it('aggregates a day after the change into the unit of the new GSP group, where it used to fail with BM_UNIT_NOT_IN_GSP_GROUP', async () => {
    stack.clock.set('2026-12-04T12:00:00Z');
    const intervals = Array.from({ length: 48 }, (_, i) => ({
      mpanCore: IDNO_MPAN,
      quantity: 'ACTIVE_IMPORT',
      utcStart: new Date(Date.parse(`${GSP_CHANGE}T00:00:00Z`) + i * 1_800_000).toISOString(),
      periodMinutes: 30,
      value: '0.2',
      quality: 'ACTUAL',
    }));
    const { body: submitted } = await stack.query(
      `mutation($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted rejected } }`,
      { input: { intervals } },
      SDSA,
    );
    expect(submitted.data.submitConsumption).toEqual({ accepted: 48, rejected: 0 });
    const report = await runAggregation({
      gatewayUrl: stack.gatewayUrl,
      token: await stack.token(MDSV),
      settlementDate: GSP_CHANGE,
      runType: 'SF',
    });
    expect(report.run.status).toBe('COMPLETED');
    expect(report.unattributedIntervals).toBe(0);
    const { body } = await stack.query(
      `query($d: Date!) { settlementRuns(settlementDate: $d, runType: SF) { aggregatedVolumes { supplier { id } gspGroup { id } bmUnit { id } volume } } }`,
      { d: GSP_CHANGE },
      MDSV,
    );
    const volumes = body.data.settlementRuns[0].aggregatedVolumes;
    expect(volumes).toHaveLength(48);
    expect(new Set(volumes.map((v: object) => JSON.stringify(v)))).toEqual(
      new Set([JSON.stringify({ supplier: { id: 'SUPB' }, gspGroup: { id: '_E' }, bmUnit: { id: '2__ESUPB001' }, volume: '0.2' })]),
    );
  });
});
