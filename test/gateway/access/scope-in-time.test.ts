import { Client } from 'pg';
import { startTestStack, TestStack } from '../../support/test-stack';
import { createTestDatabase } from '../../support/test-database';
import { TEST_NOW } from '../../support/test-clock';
import { buildDemoDataset } from '../../../dev/build-dataset';
import type { Actor } from '../../support/test-keys';
import type { MarketRole } from '../../../core';

// Scope in time (README "Who may see what", PRI-001, PRI-006), through the gateway, for every role that has a row
// scope: a party sees a metering point only if it was, is or will be responsible for it; its current state (supplier,
// address, meters) only while it is responsible now; a former party keeps its own period; a future party waits for its
// start; and a party that never was responsible gets exactly what an unknown MPAN gets.

const dataset = buildDemoDataset(TEST_NOW);
const mpanOf = (index: number) => dataset.meteringPoints[index].mpanCore;
const UNKNOWN = '1000000000012';
const FUTURE_START = '2026-12-27'; // 30 days after the clock's day
const FORMER_DAY = '2024-06-01T00:00:00Z';
const FUTURE_DAY = `${FUTURE_START}T00:00:00Z`;

/** The service roles, each with a metering point of a fitting segment whose supplier has not changed. */
const SERVICES: { role: MarketRole; index: number; current: string; appointment: string }[] = [
  { role: 'SMART_DATA_SERVICE', index: 3, current: 'SDSA', appointment: 'DS1' },
  { role: 'SMART_METERING_SERVICE', index: 3, current: 'MSSA', appointment: 'MS1' },
  { role: 'ADVANCED_DATA_SERVICE', index: 6, current: 'ADSA', appointment: 'DS1' },
  { role: 'ADVANCED_METERING_SERVICE', index: 6, current: 'MSAA', appointment: 'MS1' },
  { role: 'UNMETERED_DATA_SERVICE', index: 9, current: 'UDSA', appointment: 'DS1' },
];

let stack: TestStack;
beforeAll(async () => {
  const database = await createTestDatabase('demo');
  const db = new Client({ connectionString: database.url });
  await db.connect();
  // For each service role: the current provider's appointment now runs from 2025 until FUTURE_START; a former provider
  // served 2024, a future one is accepted from FUTURE_START.
  for (const service of SERVICES) {
    const mpanCore = mpanOf(service.index);
    const supplierId = dataset.supplierRegistrations.find((r) => r.mpanCore === mpanCore)!.supplierId;
    await db.query(`UPDATE appointment.appointment SET effective_from = '2025-01-01', effective_to = $2 WHERE id = $1`, [
      `APT-${mpanCore}-${service.appointment}`,
      FUTURE_START,
    ]);
    const insert = (id: string, provider: string, from: string, to: string | null) =>
      db.query(
        `INSERT INTO appointment.appointment (id, mpan_core, service_role, provider_id, supplier_id, scenario, contract_reference,
                effective_from, effective_to, decision, requested_at, respond_by)
         VALUES ($1, $2, $3, $4, $5, 'CHANGE_OF_SERVICE_PROVIDER', 'CTR-SCOPE', $6, $7, 'ACCEPTED', '2023-12-01T00:00:00Z', '2023-12-06T00:00:00Z')`,
        [id, mpanCore, service.role, provider, supplierId, from, to],
      );
    await insert(`APT-${service.role}-FORMER`, 'OLDP', '2024-01-01', '2025-01-01');
    await insert(`APT-${service.role}-FUTURE`, 'NEWP', FUTURE_START, null);
  }
  // A meter reading service whose read request was fulfilled: it never keeps history (PRI-006).
  await db.query(
    `INSERT INTO metering_data.read_request (id, mpan_core, meter_id, reason, status, meter_reading_service_id, requested_at, due_by, fulfilled_at)
     SELECT 'RR-FORMER', mpan_core, meter_id, reason, 'FULFILLED', 'MRSO', requested_at, due_by, due_by FROM metering_data.read_request
      WHERE mpan_core = $1 AND status = 'OPEN'`,
    [mpanOf(4)],
  );
  await db.end();
  stack = await startTestStack(database);
  // The Registration Service records a change of supplier for MPAN 0 (SUPB until 2025-06-01, then SUPA) to SUPC.
  const { body } = await stack.query(
    `mutation($input: RecordSupplierRegistrationInput!) { recordSupplierRegistration(input: $input) { effectiveFrom } }`,
    { input: { mpanCore: mpanOf(0), supplierId: 'SUPC', effectiveFrom: FUTURE_START } },
    { role: 'REGISTRATION_SERVICE', participant: 'RSVC' },
  );
  expect(body.errors).toBeUndefined();
});
afterAll(() => stack.close());

const VIEW = `query($m: MpanCore!, $former: DateTime!, $future: DateTime!) {
  meteringPoint(mpanCore: $m) {
    mpanCore
    address { postcode }
    meters { meterId }
    currentSupplier { supplier { id } }
    thenSupplier: currentSupplier(at: $former) { supplier { id } }
    comingSupplier: currentSupplier(at: $future) { supplier { id } }
  }
  unknown: meteringPoint(mpanCore: "${UNKNOWN}") { mpanCore }
}`;

async function view(mpanCore: string, as: Actor) {
  const { status, body } = await stack.query(VIEW, { m: mpanCore, former: FORMER_DAY, future: FUTURE_DAY }, as);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data.unknown).toBeNull();
  return body.data.meteringPoint;
}

const supplierOf = (mpanCore: string, day: string) =>
  dataset.supplierRegistrations.find(
    (r) => r.mpanCore === mpanCore && r.effectiveFrom <= day && (r.effectiveTo === null || day < r.effectiveTo),
  )!.supplierId;

describe.each(SERVICES)('$role: former, current and future providers (PRI-001)', ({ role, index, current }) => {
  const mpanCore = mpanOf(index);
  const supplier = { supplier: { id: supplierOf(mpanCore, '2026-11-27') } };

  it('shows the current provider the current state, and neither its predecessor nor its successor', async () => {
    const seen = await view(mpanCore, { role, participant: current });
    expect(seen).toMatchObject({ mpanCore, address: { postcode: expect.any(String) }, currentSupplier: supplier });
    expect(seen).toMatchObject({ thenSupplier: null, comingSupplier: null });
  });

  it('shows a former provider its own period only: no current state, no successor', async () => {
    expect(await view(mpanCore, { role, participant: 'OLDP' })).toEqual({
      mpanCore,
      address: null,
      meters: [],
      currentSupplier: null,
      thenSupplier: supplier,
      comingSupplier: null,
    });
  });

  it('shows a future provider its own coming period only: nothing of the current state before its start', async () => {
    expect(await view(mpanCore, { role, participant: 'NEWP' })).toEqual({
      mpanCore,
      address: null,
      meters: [],
      currentSupplier: null,
      thenSupplier: null,
      comingSupplier: supplier,
    });
  });

  it('answers a provider that never served the metering point exactly as for an unknown MPAN', async () => {
    expect(await view(mpanCore, { role, participant: 'NEVR' })).toBeNull();
  });
});

describe('SUPPLIER: former, current and future suppliers (PRI-001)', () => {
  const mpanCore = mpanOf(0);

  it('shows the current supplier the current state and itself only', async () => {
    expect(await view(mpanCore, { role: 'SUPPLIER', participant: 'SUPA' })).toMatchObject({
      mpanCore,
      address: { postcode: expect.any(String) },
      currentSupplier: { supplier: { id: 'SUPA' } },
      thenSupplier: null,
      comingSupplier: null,
    });
  });

  it('shows the former supplier its own registration only', async () => {
    expect(await view(mpanCore, { role: 'SUPPLIER', participant: 'SUPB' })).toEqual({
      mpanCore,
      address: null,
      meters: [],
      currentSupplier: null,
      thenSupplier: { supplier: { id: 'SUPB' } },
      comingSupplier: null,
    });
  });

  it('shows the gaining supplier, before its supply start, its own coming registration only', async () => {
    expect(await view(mpanCore, { role: 'SUPPLIER', participant: 'SUPC' })).toEqual({
      mpanCore,
      address: null,
      meters: [],
      currentSupplier: null,
      thenSupplier: null,
      comingSupplier: { supplier: { id: 'SUPC' } },
    });
  });

  it('answers a supplier that never supplied the metering point exactly as for an unknown MPAN', async () => {
    expect(await view(mpanOf(1), { role: 'SUPPLIER', participant: 'SUPC' })).toBeNull();
  });
});

describe('DISTRIBUTOR: the network is fixed by the MPAN core, so there is no former or future distributor', () => {
  it('shows the distributor of the network the whole history and the current state', async () => {
    expect(await view(mpanOf(0), { role: 'DISTRIBUTOR', participant: 'LOND' })).toMatchObject({
      currentSupplier: { supplier: { id: 'SUPA' } },
      thenSupplier: { supplier: { id: 'SUPB' } },
      comingSupplier: { supplier: { id: 'SUPC' } },
    });
  });

  it('answers another distributor exactly as for an unknown MPAN', async () => {
    expect(await view(mpanOf(0), { role: 'DISTRIBUTOR', participant: 'MIDE' })).toBeNull();
  });
});

describe('METER_READING_SERVICE: only while its read request is open (PRI-006)', () => {
  const READ = `query($m: MpanCore!) { meteringPoint(mpanCore: $m) { mpanCore address { postcode } meters { meterId } } unknown: meteringPoint(mpanCore: "${UNKNOWN}") { mpanCore } }`;

  it('shows the service with an open request the address and meters it needs', async () => {
    const { body } = await stack.query(READ, { m: mpanOf(4) }, { role: 'METER_READING_SERVICE', participant: 'MRSA' });
    expect(body.data.meteringPoint).toMatchObject({ mpanCore: mpanOf(4), address: { postcode: expect.any(String) } });
    expect(body.data.meteringPoint.meters).toHaveLength(1);
  });

  it('answers a service whose request was fulfilled exactly as for an unknown MPAN: it keeps no history', async () => {
    const { body } = await stack.query(READ, { m: mpanOf(4) }, { role: 'METER_READING_SERVICE', participant: 'MRSO' });
    expect(body).toEqual({ data: { meteringPoint: null, unknown: null } });
  });
});

describe("read requests: a former supplier or data service never sees its successor's (PRI-006)", () => {
  // MPAN 5 changed supplier on 2025-06-01 (SUPA, then SUPC; data service SDSB, then SDSA); both read requests were
  // raised in 2026, in the successors' period.
  const mpanCore = mpanOf(5);
  const READ = `query($id: ID!, $m: MpanCore!) { readRequest(id: $id) { id } meteringPoint(mpanCore: $m) { readRequests { id } } }`;
  const variables = { id: `RR-${mpanCore}-1`, m: mpanCore };

  it.each([
    ['SUPPLIER', 'SUPC'],
    ['SMART_DATA_SERVICE', 'SDSA'],
  ] as const)('shows the current %s (%s) the read requests of its period', async (role, participant) => {
    const { body } = await stack.query(READ, variables, { role, participant });
    expect(body.data.readRequest).toEqual({ id: `RR-${mpanCore}-1` });
    expect(body.data.meteringPoint.readRequests).toHaveLength(2);
  });

  it.each([
    ['SUPPLIER', 'SUPA'],
    ['SMART_DATA_SERVICE', 'SDSB'],
  ] as const)('answers the former %s (%s) as for an unknown read request, even with a guessed id', async (role, participant) => {
    const { body } = await stack.query(READ, variables, { role, participant });
    expect(body).toEqual({ data: { readRequest: null, meteringPoint: { readRequests: [] } } });
  });
});
