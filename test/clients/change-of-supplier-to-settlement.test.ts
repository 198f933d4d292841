import { startTestStack, TestStack } from '../support/test-stack';
import { createTestDatabase } from '../support/test-database';
import { testClock } from '../support/test-clock';
import { runAggregation } from '../../clients/aggregate-job';
import type { Actor } from '../support/test-keys';

// Issue 12's journey, through the gateway with role tokens: a change of supplier in the middle of a month. The losing
// supplier's request in flight lapses, the gaining supplier appoints its data service from its supply start, each data
// service submits its own days, and the Market-wide Data Service's job books each day to the BM unit of the supplier
// registered that day (PRI-001: the allocation follows the Registration Service's registrations, nobody copies them).

const RSVC: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' };
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SUPC: Actor = { role: 'SUPPLIER', participant: 'SUPC' };
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
const SDSB: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSB' };
const MDSV: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const MPAN = '1200000000420'; // SUPA's smart metering point in GSP group _C; SDSA is its data service
const LAST_DAY_OF_SUPA = '2026-12-14';
const SUPPLY_START = '2026-12-15'; // SUPC's: mid-December, a winter day (UK time is UTC: 48 periods)

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(await createTestDatabase('demo'), { clock: testClock('2026-12-10T12:00:00Z') });
});
afterAll(() => stack.close());

async function ok(query: string, variables: Record<string, unknown>, as: Actor) {
  const { body } = await stack.query(query, variables, as);
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** One ACTUAL interval per period of a UTC (winter) day, each `value` kWh. */
function dayOfIntervals(day: string, value: string) {
  return Array.from({ length: 48 }, (_, i) => ({
    mpanCore: MPAN,
    quantity: 'ACTIVE_IMPORT',
    utcStart: new Date(Date.parse(`${day}T00:00:00Z`) + i * 1_800_000).toISOString(),
    periodMinutes: 30,
    value,
    quality: 'ACTUAL',
  }));
}

const REQUEST = `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { id status } }`;
const RESPOND = `mutation($input: RespondToAppointmentInput!) { respondToAppointment(input: $input) { id status } }`;
const SUBMIT = `mutation($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted rejected rejections { reason } } }`;
const VOLUMES = `query($d: Date!) { settlementRuns(settlementDate: $d, runType: SF) { aggregatedVolumes { supplier { id } bmUnit { id } gspGroup { id } volume mpanCount } } }`;

describe('a change of supplier in the middle of a month, from appointment to settlement (PRI-001, PRI-020)', () => {
  let lapsingRequestId: string;
  let gainingRequestId: string;

  it("lapses the losing supplier's request in flight and lets the gaining supplier appoint from its supply start", async () => {
    // SUPA asks for a change of data service to SDSB from a day after the coming supply start; SDSB has not answered.
    const { requestAppointment: lapsing } = await ok(
      REQUEST,
      {
        input: {
          mpanCore: MPAN,
          serviceRole: 'SMART_DATA_SERVICE',
          provider: 'SDSB',
          scenario: 'CHANGE_OF_SERVICE_PROVIDER',
          effectiveFrom: '2026-12-18',
          contractReference: 'CTR-SUPA-SDSB',
        },
      },
      SUPA,
    );
    lapsingRequestId = lapsing.id;
    expect(lapsing.status).toBe('REQUESTED');

    // The Registration Service records SUPC's registration from the supply start.
    await ok(
      `mutation($input: RecordSupplierRegistrationInput!) { recordSupplierRegistration(input: $input) { supplier { id } effectiveFrom } }`,
      { input: { mpanCore: MPAN, supplierId: 'SUPC', effectiveFrom: SUPPLY_START } },
      RSVC,
    );

    // The provider reads that SUPA's request lapsed, and why; it cannot accept it.
    const seen = await ok(`query($id: ID!) { appointment(id: $id) { status lapseReason effectiveTo } }`, { id: lapsing.id }, SDSB);
    expect(seen.appointment.status).toBe('LAPSED');
    expect(seen.appointment.lapseReason).toContain('not registered');
    const accepted = await stack.query(RESPOND, { input: { appointmentId: lapsing.id, accept: true } }, SDSB);
    expect(accepted.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'REQUESTING_SUPPLIER_NOT_REGISTERED' });

    // SUPC appoints SDSB from its supply start: the lapsed request is not in its way (no OVERLAPPING_APPOINTMENT).
    const { requestAppointment: gaining } = await ok(
      REQUEST,
      {
        input: {
          mpanCore: MPAN,
          serviceRole: 'SMART_DATA_SERVICE',
          provider: 'SDSB',
          scenario: 'CHANGE_OF_SUPPLIER',
          effectiveFrom: SUPPLY_START,
          contractReference: 'CTR-SUPC-SDSB',
        },
      },
      SUPC,
    );
    gainingRequestId = gaining.id;
    expect((await ok(RESPOND, { input: { appointmentId: gaining.id, accept: true } }, SDSB)).respondToAppointment.status).toBe('ACCEPTED');

    // SUPA still sees its own request, lapsed; SDSA's appointment (SUPA's) ends at the supply start.
    const supa = await ok(
      `query($m: MpanCore!, $id: ID!) { appointment(id: $id) { status } meteringPoint(mpanCore: $m) { appointmentHistory { provider { id } status effectiveTo } } }`,
      { m: MPAN, id: lapsing.id },
      SUPA,
    );
    expect(supa.appointment.status).toBe('LAPSED');
    expect(supa.meteringPoint.appointmentHistory).toContainEqual({ provider: { id: 'SDSA' }, status: 'ACTIVE', effectiveTo: SUPPLY_START });
  });

  it("books the days before the supply start to the losing supplier's BM unit and the days from it to the gaining one's", async () => {
    stack.clock.set('2026-12-17T12:00:00Z');
    // Each data service submits the days it is appointed for; SDSA may not submit SUPC's first day.
    expect((await ok(SUBMIT, { input: { intervals: dayOfIntervals(LAST_DAY_OF_SUPA, '0.5') } }, SDSA)).submitConsumption).toMatchObject({
      accepted: 48,
      rejected: 0,
    });
    const late = (await ok(SUBMIT, { input: { intervals: dayOfIntervals(SUPPLY_START, '9') } }, SDSA)).submitConsumption;
    expect(late.accepted).toBe(0);
    expect(new Set(late.rejections.map((r: { reason: string }) => r.reason))).toEqual(new Set(['NOT_APPOINTED']));
    expect((await ok(SUBMIT, { input: { intervals: dayOfIntervals(SUPPLY_START, '0.25') } }, SDSB)).submitConsumption).toMatchObject({
      accepted: 48,
      rejected: 0,
    });

    const token = await stack.token(MDSV);
    for (const settlementDate of [LAST_DAY_OF_SUPA, SUPPLY_START]) {
      expect((await runAggregation({ gatewayUrl: stack.gatewayUrl, token, settlementDate, runType: 'SF' })).unattributedIntervals).toBe(0);
    }
    const before = (await ok(VOLUMES, { d: LAST_DAY_OF_SUPA }, MDSV)).settlementRuns[0].aggregatedVolumes;
    const from = (await ok(VOLUMES, { d: SUPPLY_START }, MDSV)).settlementRuns[0].aggregatedVolumes;
    expect(before).toHaveLength(48);
    expect(from).toHaveLength(48);
    for (const volume of before) {
      expect(volume).toEqual({
        supplier: { id: 'SUPA' },
        bmUnit: { id: '2__CSUPA001' },
        gspGroup: { id: '_C' },
        volume: '0.5',
        mpanCount: 1,
      });
    }
    for (const volume of from) {
      expect(volume).toEqual({
        supplier: { id: 'SUPC' },
        bmUnit: { id: '2__CSUPC001' },
        gspGroup: { id: '_C' },
        volume: '0.25',
        mpanCount: 1,
      });
    }
  });

  const VIEW = `query($m: MpanCore!, $before: DateTime!, $from: DateTime!, $to: DateTime!) {
    meteringPoint(mpanCore: $m) {
      currentSupplier { supplier { id } }
      address { postcode }
      meters { meterId }
      supplierRegistrations { supplier { id } effectiveFrom effectiveTo }
      currentAppointments { provider { id } }
      consumption(from: $before, to: $to, first: 200) { edges { node { utcStart value } } }
      bmUnitAllocation { bmUnit { id } }
      beforeChange: bmUnitAllocation(at: $before) { bmUnit { id } }
      fromChange: bmUnitAllocation(at: $from) { bmUnit { id } }
    }
  }`;
  const VIEW_AS_SERVICE = `query($m: MpanCore!, $before: DateTime!, $to: DateTime!) {
    meteringPoint(mpanCore: $m) {
      currentSupplier { supplier { id } }
      address { postcode }
      supplierRegistrations { supplier { id } }
      currentAppointments { provider { id } }
      consumption(from: $before, to: $to, first: 200) { edges { node { utcStart value } } }
    }
  }`;
  const range = { m: MPAN, before: `${LAST_DAY_OF_SUPA}T00:00:00Z`, from: `${SUPPLY_START}T00:00:00Z`, to: '2026-12-16T00:00:00Z' };
  const days = (edges: { node: { utcStart: string } }[]) => [...new Set(edges.map((e) => e.node.utcStart.slice(0, 10)))];

  it('shows the former supplier only its own period: its registration, its days and its BM unit, never its successor', async () => {
    const { meteringPoint } = await ok(VIEW, range, SUPA);
    expect(meteringPoint).toMatchObject({
      currentSupplier: null,
      address: null,
      meters: [],
      currentAppointments: [],
      bmUnitAllocation: null,
      beforeChange: { bmUnit: { id: '2__CSUPA001' } },
      fromChange: null,
    });
    expect(meteringPoint.supplierRegistrations).toEqual([
      { supplier: { id: 'SUPA' }, effectiveFrom: '2025-06-01', effectiveTo: SUPPLY_START },
    ]);
    expect(days(meteringPoint.consumption.edges)).toEqual([LAST_DAY_OF_SUPA]);
  });

  it('shows the gaining supplier its own period, the current state and the services in force (which belong to it)', async () => {
    const { meteringPoint } = await ok(VIEW, range, SUPC);
    expect(meteringPoint).toMatchObject({
      currentSupplier: { supplier: { id: 'SUPC' } },
      address: { postcode: expect.any(String) },
      currentAppointments: [{ provider: { id: 'SDSB' } }],
      bmUnitAllocation: { bmUnit: { id: '2__CSUPC001' } },
      beforeChange: null,
      fromChange: { bmUnit: { id: '2__CSUPC001' } },
    });
    expect(meteringPoint.meters.length).toBeGreaterThan(0);
    expect(meteringPoint.supplierRegistrations).toEqual([{ supplier: { id: 'SUPC' }, effectiveFrom: SUPPLY_START, effectiveTo: null }]);
    expect(days(meteringPoint.consumption.edges)).toEqual([SUPPLY_START]);
  });

  it("shows the former data service only its appointment's days, and the new one only its own", async () => {
    const former = (await ok(VIEW_AS_SERVICE, range, SDSA)).meteringPoint;
    expect(former).toMatchObject({ currentSupplier: null, address: null, currentAppointments: [] });
    expect(former.supplierRegistrations).toEqual([{ supplier: { id: 'SUPA' } }]);
    expect(days(former.consumption.edges)).toEqual([LAST_DAY_OF_SUPA]);

    const current = (await ok(VIEW_AS_SERVICE, range, SDSB)).meteringPoint;
    expect(current).toMatchObject({ currentSupplier: { supplier: { id: 'SUPC' } }, currentAppointments: [{ provider: { id: 'SDSB' } }] });
    expect(days(current.consumption.edges)).toEqual([SUPPLY_START]);
  });

  it("keeps the lapsed request and the losing supplier's services out of the services in force after the supply start", async () => {
    const { appointment, meteringPoint } = await ok(
      `query($id: ID!, $m: MpanCore!) { appointment(id: $id) { status } meteringPoint(mpanCore: $m) { currentAppointments(at: "2026-12-18T00:00:00Z") { id requestingSupplier { id } } } }`,
      { id: lapsingRequestId, m: MPAN },
      RSVC,
    );
    expect(appointment.status).toBe('LAPSED');
    expect(meteringPoint.currentAppointments).toEqual([{ id: gainingRequestId, requestingSupplier: { id: 'SUPC' } }]);
  });
});
