import { Client } from 'pg';
import { DAY_MS } from '../support/test-clock';
import { startTestStack, TestStack } from '../support/test-stack';
import { createTestDatabase } from '../support/test-database';
import { runAggregation } from '../../clients/aggregate-job';
import type { Actor } from '../support/test-keys';

// Issue 4's "done when": through the gateway with role tokens, a supplier appoints a data service, the service
// accepts, submits a day of data (one interval rejected with its reason), the MDS job aggregates it, and the supplier
// reads its volumes and exception counts.

const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SDSB: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSB' };
const MDSV: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const MPAN = '1200000000420'; // SUPA's smart metering point; SDSA is its data service until the change

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(await createTestDatabase('demo'));
});
afterAll(() => stack.close());

/** Runs an operation and fails with the errors when there are any. */
async function ok(query: string, variables: Record<string, unknown>, as: Actor) {
  const { body } = await stack.query(query, variables, as);
  expect(body.errors).toBeUndefined();
  return body.data;
}

describe("from an appointment to the supplier's settlement volumes, through the gateway", () => {
  it('appoints a data service, takes its data, aggregates it and shows the supplier its volumes and exception counts', async () => {
    // 1. The supplier asks for a change of data service from today: never retrospective (PRI-020), UTC basis (PRI-018).
    const appointedFrom = stack.clock.utcDay(0);
    const { requestAppointment } = await ok(
      `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { id status } }`,
      {
        input: {
          mpanCore: MPAN,
          serviceRole: 'SMART_DATA_SERVICE',
          provider: 'SDSB',
          scenario: 'CHANGE_OF_SERVICE_PROVIDER',
          effectiveFrom: appointedFrom,
          contractReference: 'CTR-JOURNEY-1',
        },
      },
      SUPA,
    );
    expect(requestAppointment.status).toBe('REQUESTED');

    // 2. The proposed provider accepts; the supplier learns it from the registration service's record (PRI-007, PRI-003).
    await ok(
      `mutation($input: RespondToAppointmentInput!) { respondToAppointment(input: $input) { id } }`,
      { input: { appointmentId: requestAppointment.id, accept: true } },
      SDSB,
    );
    const { appointment } = await ok(
      `query($id: ID!) { appointment(id: $id) { status messages { interface from { id } to { id } outcome } } }`,
      { id: requestAppointment.id },
      SUPA,
    );
    expect(appointment.messages.map((m: { interface: string }) => m.interface)).toEqual(
      expect.arrayContaining(['IF_031', 'IF_032', 'IF_033', 'PROVIDER_RESPONSE', 'IF_035']),
    );
    expect(appointment.messages.find((m: { interface: string }) => m.interface === 'IF_035')).toMatchObject({
      from: { id: 'RSVC' },
      to: { id: 'SUPA' },
      outcome: 'ACCEPTED',
    });

    // 3. Two days pass on the business clock: the day after the appointment starts is now a whole settlement day that
    // has ended, with the appointment in force from the UTC day before it (so a summer day's first UTC hour is in too).
    stack.clock.advance(2 * DAY_MS);
    expect(
      (await ok(`query($id: ID!) { appointment(id: $id) { status effectiveFrom } }`, { id: requestAppointment.id }, SUPA)).appointment,
    ).toEqual({
      status: 'ACTIVE',
      effectiveFrom: appointedFrom,
    });

    // 4. The new data service submits yesterday's settlement day: one interval is estimated without a method.
    const settlementDate = stack.clock.utcDay(-1);
    const { settlementDay } = await ok(
      `query($d: Date!) { settlementDay(settlementDate: $d) { periodCount periods { utcStart } } }`,
      { d: settlementDate },
      SDSB,
    );
    const intervals = settlementDay.periods.map((p: { utcStart: string }, index: number) => ({
      mpanCore: MPAN,
      quantity: 'ACTIVE_IMPORT',
      utcStart: p.utcStart,
      periodMinutes: 30,
      value: `0.${String(100 + index).padStart(3, '0')}`,
      quality: index === 7 ? 'ESTIMATED' : 'ACTUAL',
    }));
    const { submitConsumption } = await ok(
      `mutation($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted rejected rejections { index reason } } }`,
      { input: { intervals } },
      SDSB,
    );
    expect(submitConsumption).toEqual({
      accepted: settlementDay.periodCount - 1,
      rejected: 1,
      rejections: [{ index: 7, reason: 'ESTIMATION_METHOD_REQUIRED' }],
    });

    // 5. The Market-wide Data Service's job aggregates the day through the gateway and submits the run.
    const report = await runAggregation({ gatewayUrl: stack.gatewayUrl, token: await stack.token(MDSV), settlementDate, runType: 'SF' });
    expect(report.run.status).toBe('COMPLETED');

    // 6. The supplier reads its own volumes and only exception counts (PRI-009).
    const { settlementRuns } = await ok(
      `query($d: Date!) { settlementRuns(settlementDate: $d, runType: SF) { aggregatedVolumes { supplier { id } volume mpanCount actualCount estimatedCount } exceptionSummary { supplier { id } exceptionType count } } }`,
      { d: settlementDate },
      SUPA,
    );
    expect(settlementRuns).toHaveLength(1);
    const [run] = settlementRuns;
    expect(new Set(run.aggregatedVolumes.map((v: { supplier: { id: string } }) => v.supplier.id))).toEqual(new Set(['SUPA']));
    // Exact decimals: the accepted values are 0.100, 0.101, … without index 7, summed in thousandths.
    const expectedThousandths = intervals.reduce(
      (sum: number, i: { value: string }, index: number) => (index === 7 ? sum : sum + Number(i.value.slice(2))),
      0,
    );
    const totalThousandths = run.aggregatedVolumes.reduce(
      (sum: number, v: { volume: string }) => sum + Math.round(Number(v.volume) * 1000),
      0,
    );
    expect(totalThousandths).toBe(expectedThousandths);
    expect(run.aggregatedVolumes.reduce((sum: number, v: { actualCount: number }) => sum + v.actualCount, 0)).toBe(
      settlementDay.periodCount - 1,
    );
    // The rejected period is missing, so the supplier sees at least that one MISSING_DATA exception, as a count.
    const missing = run.exceptionSummary.find((e: { exceptionType: string }) => e.exceptionType === 'MISSING_DATA');
    expect(missing?.count).toBeGreaterThanOrEqual(1);
    expect(run.exceptionSummary.every((e: { supplier: { id: string } }) => e.supplier.id === 'SUPA')).toBe(true);

    // …while the detail is the data service's, for its own MPAN (PRI-009).
    const refused = await stack.query(
      `query($d: Date!) { settlementRuns(settlementDate: $d) { exceptions { mpanCore } } }`,
      { d: settlementDate },
      SUPA,
    );
    // Refused as a field that does not exist (issue 11, item 5).
    expect(refused.status).toBe(400);
    const detail = await ok(
      `query($d: Date!) { settlementRuns(settlementDate: $d) { exceptions { mpanCore exceptionType settlementPeriod { settlementPeriod } } } }`,
      { d: settlementDate },
      SDSB,
    );
    expect(detail.settlementRuns[0].exceptions).toEqual([
      { mpanCore: MPAN, exceptionType: 'MISSING_DATA', settlementPeriod: { settlementPeriod: 8 } },
    ]);
  });
});

describe('the long clock-change day end to end (PRI-014, PRI-015)', () => {
  it('takes 50 submitted periods for 2026-10-25 through aggregation into 50 settlement periods, and a rerun replaces them', async () => {
    const database = await createTestDatabase('demo');
    const db = new Client({ connectionString: database.url });
    await db.connect();
    // A clean day: only what the data service submits below counts.
    await db.query(
      `DELETE FROM metering_data.consumption_interval WHERE utc_start >= '2026-10-24T23:00:00Z' AND utc_start < '2026-10-26T00:00:00Z'`,
    );
    await db.end();
    const own = await startTestStack(database);
    try {
      const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
      const { body: day } = await own.query(
        `{ settlementDay(settlementDate: "2026-10-25") { periodCount periods { utcStart } } }`,
        undefined,
        SDSA,
      );
      expect(day.data.settlementDay.periodCount).toBe(50);
      const intervals = day.data.settlementDay.periods.map((p: { utcStart: string }, index: number) => ({
        mpanCore: MPAN,
        quantity: 'ACTIVE_IMPORT',
        utcStart: p.utcStart,
        periodMinutes: 30,
        value: `1.${String(index).padStart(3, '0')}`,
        quality: 'ACTUAL',
      }));
      const { body: submitted } = await own.query(
        `mutation($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted rejected } }`,
        { input: { intervals } },
        SDSA,
      );
      expect(submitted.data.submitConsumption).toEqual({ accepted: 50, rejected: 0 });

      const token = await own.token(MDSV);
      const runTwice = [];
      for (let i = 0; i < 2; i++) {
        await runAggregation({ gatewayUrl: own.gatewayUrl, token, settlementDate: '2026-10-25', runType: 'SF' });
        const { body } = await own.query(
          `{ settlementRuns(settlementDate: "2026-10-25", runType: SF) { aggregatedVolumes { settlementPeriod { settlementPeriod periodsInDay } volume } } }`,
          undefined,
          MDSV,
        );
        runTwice.push(body.data.settlementRuns[0].aggregatedVolumes);
      }
      const [first, second] = runTwice;
      expect(second).toEqual(first);
      expect(first.map((v: { settlementPeriod: { settlementPeriod: number } }) => v.settlementPeriod.settlementPeriod)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      expect(new Set(first.map((v: { settlementPeriod: { periodsInDay: number } }) => v.settlementPeriod.periodsInDay))).toEqual(
        new Set([50]),
      );
      expect(first.map((v: { volume: string }) => v.volume)).toEqual(intervals.map((i: { value: string }) => String(Number(i.value))));
    } finally {
      await own.close();
    }
  });
});
