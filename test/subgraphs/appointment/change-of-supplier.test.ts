import { Client } from 'pg';
import { startTestStack, TestStack } from '../../support/test-stack';
import { createTestDatabase } from '../../support/test-database';
import { TEST_NOW } from '../../support/test-clock';
import { buildDemoDataset } from '../../../dev/build-dataset';
import type { Actor } from '../../support/test-keys';

// Appointments at a change of supplier, through the gateway (PRI-001: the registrations are asked of the Registration
// Service, never copied; PRI-020: nothing takes effect retrospectively). The appointment journey with settlement is
// test/clients/change-of-supplier-to-settlement.test.ts.

const dataset = buildDemoDataset(TEST_NOW);
const MPAN = dataset.meteringPoints[6].mpanCore; // SUPA's advanced metering point; ADSA and MSAA are appointed
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SUPC: Actor = { role: 'SUPPLIER', participant: 'SUPC' };
const MSAA: Actor = { role: 'ADVANCED_METERING_SERVICE', participant: 'MSAA' };
const RSVC: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' };
const ADSB: Actor = { role: 'ADVANCED_DATA_SERVICE', participant: 'ADSB' };
const SUPPLY_START = '2026-12-10';

const REQUEST = `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { id status } }`;
const RESPOND = `mutation($input: RespondToAppointmentInput!) { respondToAppointment(input: $input) { id status } }`;
const request = (effectiveFrom: string, scenario = 'CHANGE_OF_SERVICE_PROVIDER') => ({
  input: {
    mpanCore: MPAN,
    serviceRole: 'ADVANCED_METERING_SERVICE',
    provider: 'MSAA',
    scenario,
    effectiveFrom,
    contractReference: 'CTR-COS',
  },
});

let stack: TestStack;
beforeAll(async () => {
  const database = await createTestDatabase('demo');
  // A second advanced data service, so the losing supplier can change provider.
  const db = new Client({ connectionString: database.url });
  await db.connect();
  await db.query(
    `INSERT INTO registration.market_participant (id, name, roles) VALUES ('ADSB', 'Bravo Advanced Data', '{ADVANCED_DATA_SERVICE}')`,
  );
  await db.end();
  stack = await startTestStack(database);
});
afterAll(() => stack.close());

async function ok(query: string, variables: Record<string, unknown>, as: Actor) {
  const { body } = await stack.query(query, variables, as);
  expect(body.errors).toBeUndefined();
  return body.data;
}

describe('appointments at a change of supplier (PRI-001, PRI-020)', () => {
  it('refuses the gaining supplier before the Registration Service records its registration, as for an unknown MPAN', async () => {
    const { body } = await stack.query(REQUEST, request(SUPPLY_START, 'CHANGE_OF_SUPPLIER'), SUPC);
    expect(body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'SUPPLIER_NOT_REGISTERED' });
  });

  it("lapses the losing supplier's accepted appointment that would start after the supply start, and ends the ones in force", async () => {
    // SUPA changes its advanced data service to ADSB from a day after the coming supply start; ADSB accepts.
    const { requestAppointment: later } = await ok(
      REQUEST,
      { input: { ...request('2026-12-20').input, serviceRole: 'ADVANCED_DATA_SERVICE', provider: 'ADSB' } },
      SUPA,
    );
    expect((await ok(RESPOND, { input: { appointmentId: later.id, accept: true } }, ADSB)).respondToAppointment.status).toBe('ACCEPTED');

    await ok(
      `mutation($input: RecordSupplierRegistrationInput!) { recordSupplierRegistration(input: $input) { effectiveFrom } }`,
      { input: { mpanCore: MPAN, supplierId: 'SUPC', effectiveFrom: SUPPLY_START } },
      RSVC,
    );
    // The provider reads that it will never serve: the appointment lapsed, and why.
    const { appointment } = await ok(`query($id: ID!) { appointment(id: $id) { status lapseReason } }`, { id: later.id }, ADSB);
    expect(appointment.status).toBe('LAPSED');
    expect(appointment.lapseReason).toContain(`not registered for ${MPAN} on the effective date 2026-12-20`);
    // SUPA's appointments in force (ADSA's and MSAA's) end on the supply start.
    const history = (
      await ok(
        `query($m: MpanCore!) { meteringPoint(mpanCore: $m) { appointmentHistory { provider { id } status effectiveTo } } }`,
        { m: MPAN },
        SUPA,
      )
    ).meteringPoint.appointmentHistory;
    expect(history.filter((a: { status: string }) => a.status === 'ACTIVE')).toEqual([
      { provider: { id: 'ADSA' }, status: 'ACTIVE', effectiveTo: SUPPLY_START },
      { provider: { id: 'MSAA' }, status: 'ACTIVE', effectiveTo: SUPPLY_START },
    ]);
  });

  it('gives the gaining supplier the services in force from its supply start, and the losing supplier none', async () => {
    const { requestAppointment } = await ok(REQUEST, request(SUPPLY_START, 'CHANGE_OF_SUPPLIER'), SUPC);
    await ok(RESPOND, { input: { appointmentId: requestAppointment.id, accept: true } }, MSAA);
    const at = `${SUPPLY_START}T00:00:00Z`;
    const CURRENT = `query($m: MpanCore!, $at: DateTime!) { meteringPoint(mpanCore: $m) { currentAppointments(at: $at) { id requestingSupplier { id } } } }`;
    expect((await ok(CURRENT, { m: MPAN, at }, SUPC)).meteringPoint.currentAppointments).toEqual([
      { id: requestAppointment.id, requestingSupplier: { id: 'SUPC' } },
    ]);
    expect((await ok(CURRENT, { m: MPAN, at }, SUPA)).meteringPoint.currentAppointments).toEqual([]);
    // The day before, the services in force are SUPA's, and SUPC (not yet registered) sees none of them.
    const before = { m: MPAN, at: '2026-12-09T00:00:00Z' };
    expect((await ok(CURRENT, before, SUPA)).meteringPoint.currentAppointments).toHaveLength(2);
    expect((await ok(CURRENT, before, SUPC)).meteringPoint.currentAppointments).toEqual([]);
  });
});
