import type { Actor } from '../../support/test-keys';
import { expectHidden } from '../../support/hidden-field';
import { DAY_MS } from '../../support/test-clock';
import { demo as dataset, mpanAt as mpan, RSVC as RS, SDSA, SDSB, SUPA, SUPB, SUPC, useJourneyStack, utcDay } from '../../support/journey';

// The appointment market process through the real gateway, with role tokens: a supplier requests, the proposed
// provider answers, the Registration Service relays. Each test uses metering points of its own from the demo dataset
// (MPAN index i: see test/support/journey.ts).

const APPOINTMENT_FIELDS = `id meteringPoint { mpanCore } serviceRole provider { id } requestingSupplier { id } scenario
  contractReference effectiveFrom effectiveTo status requestedAt respondBy
  messages { interface from { id } to { id } outcome reason }`;

const REQUEST = `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { ${APPOINTMENT_FIELDS} overdue } }`;
const RESPOND = `mutation($input: RespondToAppointmentInput!) { respondToAppointment(input: $input) { ${APPOINTMENT_FIELDS} } }`;
const READ = `query($id: ID!) { appointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;
const IN_FORCE = `query($m: MpanCore!, $at: DateTime) { meteringPoint(mpanCore: $m) {
  currentAppointments(at: $at) { id serviceRole provider { id } effectiveFrom effectiveTo status } } }`;

interface RequestInput {
  mpanCore: string;
  serviceRole?: string;
  provider?: string;
  scenario?: 'CHANGE_OF_SUPPLIER' | 'CHANGE_OF_SERVICE_PROVIDER';
  effectiveFrom?: string;
  contractReference?: string;
}

// A test that moves the business clock has it put back, so each test starts at TEST_NOW.
const journey = useJourneyStack();

/** Sends requestAppointment for `as` with the defaults of a change of smart data service to SDSB next week. */
async function request(as: Actor, input: RequestInput) {
  const { body } = await journey.stack.query(
    REQUEST,
    {
      input: {
        serviceRole: 'SMART_DATA_SERVICE',
        provider: 'SDSB',
        scenario: 'CHANGE_OF_SERVICE_PROVIDER',
        effectiveFrom: utcDay(7),
        contractReference: `CTR-${as.participant}-${input.provider ?? 'SDSB'}`,
        ...input,
      },
    },
    as,
  );
  return body;
}

async function respond(as: Actor, input: { appointmentId: string; accept: boolean; reason?: string | null }) {
  return (await journey.stack.query(RESPOND, { input }, as)).body;
}

/** The appointment a successful request returned; fails the test with the errors otherwise. */
function requested(body: any): any {
  expect(body.errors).toBeUndefined();
  return body.data.requestAppointment;
}

/** The single refusal of a response: its code, reason and message. */
function refusal(body: any): { code: string; reason?: string; message: string } {
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors;
  return { code: error.extensions.code, reason: error.extensions.reason, message: error.message };
}

const message = (iface: string, from: string, to: string, outcome: string | null = null, reason: string | null = null) => ({
  interface: iface,
  from: { id: from },
  to: { id: to },
  outcome,
  reason,
});

/** One appointment with its status and message trail, as `as` reads it now. */
async function trailOf(id: string, as: Actor) {
  const { body } = await journey.stack.query(READ, { id }, as);
  return body.data.appointment;
}

describe('requesting and accepting an appointment', () => {
  // MPAN 4: Smart, supplied by SUPB, SDSA the active Smart Data Service since 2024-01-01.
  const mpanCore = mpan(4);
  const effectiveFrom = utcDay(7);

  it('writes the request with IF-031, IF-032 and IF-033 through the Registration Service, REQUESTED, due in 5 days (PRI-003, PRI-007)', async () => {
    const before = journey.stack.clock.now().getTime();
    const appointment = requested(await request(SUPB, { mpanCore, effectiveFrom, contractReference: 'CTR-SUPB-SDSB-4' }));
    const after = journey.stack.clock.now().getTime();
    expect(appointment).toEqual({
      id: expect.stringMatching(/^APT-/),
      meteringPoint: { mpanCore },
      serviceRole: 'SMART_DATA_SERVICE',
      provider: { id: 'SDSB' },
      requestingSupplier: { id: 'SUPB' },
      scenario: 'CHANGE_OF_SERVICE_PROVIDER',
      contractReference: 'CTR-SUPB-SDSB-4',
      effectiveFrom,
      effectiveTo: null,
      status: 'REQUESTED',
      requestedAt: expect.any(String),
      respondBy: expect.any(String),
      overdue: false,
      messages: [message('IF_031', 'SUPB', 'RSVC'), message('IF_032', 'RSVC', 'SUPB', 'ACCEPTED'), message('IF_033', 'RSVC', 'SDSB')],
    });
    const requestedAt = Date.parse(appointment.requestedAt);
    expect(requestedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(requestedAt).toBeLessThanOrEqual(after);
    expect(Date.parse(appointment.respondBy) - requestedAt).toBe(5 * DAY_MS);
  });

  it('lets the proposed provider accept; the supplier learns it from the Registration Service (IF-035), the trail shows both directions (PRI-003, PRI-007)', async () => {
    const [{ id }] = (
      await journey.sql.query(`SELECT id FROM appointment.appointment WHERE mpan_core = $1 AND decision = 'REQUESTED'`, [mpanCore])
    ).rows;
    const answered = await respond(SDSB, { appointmentId: id, accept: true });
    expect(answered.errors).toBeUndefined();
    expect(answered.data.respondToAppointment).toMatchObject({ id, status: 'ACCEPTED', effectiveFrom, effectiveTo: null });

    const seen = await trailOf(id, SUPB);
    expect(seen.messages).toEqual([
      message('IF_031', 'SUPB', 'RSVC'),
      message('IF_032', 'RSVC', 'SUPB', 'ACCEPTED'),
      message('IF_033', 'RSVC', 'SDSB'),
      message('PROVIDER_RESPONSE', 'SDSB', 'RSVC', 'ACCEPTED'),
      message('IF_035', 'RSVC', 'SUPB', 'ACCEPTED'),
    ]);
    // Nothing goes straight from the provider to the supplier: every message to the supplier comes from registration.
    for (const m of seen.messages) if (m.to.id === 'SUPB') expect(m.from.id).toBe('RSVC');
    // The provider sees the same trail (two-way interface).
    expect((await trailOf(id, SDSB)).messages).toEqual(seen.messages);
  });

  it("ends the previous provider's appointment on the new effective date, so the appointment in force is right on any day (PRI-018)", async () => {
    const dayBefore = new Date(Date.parse(`${effectiveFrom}T00:00:00Z`) - DAY_MS).toISOString();
    const onTheDay = `${effectiveFrom}T00:00:00Z`;
    const inForce = async (at: string) =>
      (await journey.stack.query(IN_FORCE, { m: mpanCore, at }, RS)).body.data.meteringPoint.currentAppointments.filter(
        (a: { serviceRole: string }) => a.serviceRole === 'SMART_DATA_SERVICE',
      );
    expect(await inForce(dayBefore)).toEqual([
      {
        id: `APT-${mpanCore}-DS1`,
        serviceRole: 'SMART_DATA_SERVICE',
        provider: { id: 'SDSA' },
        effectiveFrom: '2024-01-01',
        effectiveTo: effectiveFrom,
        status: 'ACTIVE',
      },
    ]);
    expect(await inForce(onTheDay)).toEqual([
      {
        id: expect.stringMatching(/^APT-/),
        serviceRole: 'SMART_DATA_SERVICE',
        provider: { id: 'SDSB' },
        effectiveFrom,
        effectiveTo: null,
        status: 'ACCEPTED',
      },
    ]);
  });
});

describe('an appointment accepted for today', () => {
  it("is ACTIVE at once with IF-036 dated today, and the previous provider's appointment is ENDED (PRI-018, status computed on read)", async () => {
    // MPAN 12: Smart, SUPA, SDSA active since 2024-01-01.
    const mpanCore = mpan(12);
    const today = utcDay(0);
    const { id } = requested(await request(SUPA, { mpanCore, effectiveFrom: today }));
    expect((await respond(SDSB, { appointmentId: id, accept: true })).errors).toBeUndefined();

    const now = await trailOf(id, SUPA);
    expect(now.status).toBe('ACTIVE');
    expect(now.messages.map((m: { interface: string }) => m.interface)).toEqual([
      'IF_031',
      'IF_032',
      'IF_033',
      'PROVIDER_RESPONSE',
      'IF_035',
      'IF_036',
    ]);
    expect(now.messages[5]).toEqual(message('IF_036', 'RSVC', 'SDSB'));
    const { body } = await journey.stack.query(
      `{ appointment(id: "APT-${mpanCore}-DS1") { status effectiveTo messages { interface sentAt } } }`,
      undefined,
      SUPA,
    );
    expect(body.data.appointment).toMatchObject({ status: 'ENDED', effectiveTo: today });
    const sentAt = (await journey.stack.query(`{ appointment(id: "${id}") { messages { interface sentAt } } }`, undefined, SUPA)).body.data
      .appointment.messages[5];
    expect(sentAt).toEqual({ interface: 'IF_036', sentAt: `${today}T00:00:00.000Z` });
  });
});

describe('rejecting an appointment', () => {
  it('passes the rejection and its reason back to the supplier through the Registration Service and changes nothing in force (PRI-007, PRI-003)', async () => {
    // MPAN 22: Smart, SUPB, SDSA active.
    const mpanCore = mpan(22);
    const { id } = requested(await request(SUPB, { mpanCore, effectiveFrom: utcDay(3) }));
    const reason = 'No contract in place with the requesting supplier';
    const answered = await respond(SDSB, { appointmentId: id, accept: false, reason });
    expect(answered.errors).toBeUndefined();
    expect(answered.data.respondToAppointment.status).toBe('REJECTED');

    const seen = await trailOf(id, SUPB);
    expect(seen).toMatchObject({ status: 'REJECTED', effectiveTo: null });
    expect(seen.messages).toEqual([
      message('IF_031', 'SUPB', 'RSVC'),
      message('IF_032', 'RSVC', 'SUPB', 'ACCEPTED'),
      message('IF_033', 'RSVC', 'SDSB'),
      message('PROVIDER_RESPONSE', 'SDSB', 'RSVC', 'REJECTED', reason),
      message('IF_035', 'RSVC', 'SUPB', 'REJECTED', reason),
    ]);
    const current = await journey.stack.query(
      `{ appointment(id: "APT-${mpanCore}-DS1") { status effectiveTo provider { id } } }`,
      undefined,
      SUPB,
    );
    expect(current.body.data.appointment).toEqual({ status: 'ACTIVE', effectiveTo: null, provider: { id: 'SDSA' } });
  });
});

describe('requestAppointment refusals', () => {
  it('refuses a supplier not registered for the MPAN on the effective date exactly as an unknown MPAN: NOT_FOUND SUPPLIER_NOT_REGISTERED (PRI-001, PRI-004)', async () => {
    const cases = [
      { as: SUPA, mpanCore: mpan(4) }, // supplied by SUPB: SUPA cannot see it at all
      { as: SUPA, mpanCore: '1000000000012' }, // a valid MPAN core that is not registered
      { as: SUPB, mpanCore: mpan(0) }, // SUPB supplied it until 2025-06-01: it sees the MPAN, but is not registered now
    ];
    for (const { as, mpanCore } of cases) {
      const effectiveFrom = utcDay(2);
      expect(refusal(await request(as, { mpanCore, effectiveFrom }))).toEqual({
        code: 'NOT_FOUND',
        reason: 'SUPPLIER_NOT_REGISTERED',
        message: `${as.participant} is not registered for a metering point ${mpanCore} on ${effectiveFrom}: a supplier may appoint only for metering points it is registered for on the effective date`,
      });
    }
  });

  it('refuses a service role that does not fit the market segment in force on the effective date (PRI-011: registration standing data is taken as correct)', async () => {
    const effectiveFrom = utcDay(2);
    expect(refusal(await request(SUPA, { mpanCore: mpan(6), serviceRole: 'SMART_DATA_SERVICE', provider: 'SDSB', effectiveFrom }))).toEqual(
      {
        code: 'BAD_USER_INPUT',
        reason: 'SERVICE_ROLE_NOT_FOR_SEGMENT',
        message: `SMART_DATA_SERVICE does not fit the ADVANCED market segment of ${mpan(6)} on ${effectiveFrom}: a ADVANCED metering point takes ADVANCED_DATA_SERVICE or ADVANCED_METERING_SERVICE`,
      },
    );
    expect(
      refusal(await request(SUPA, { mpanCore: mpan(9), serviceRole: 'ADVANCED_METERING_SERVICE', provider: 'MSAA', effectiveFrom })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'SERVICE_ROLE_NOT_FOR_SEGMENT',
      message: expect.stringContaining('a UNMETERED metering point takes UNMETERED_DATA_SERVICE'),
    });
  });

  it('refuses a proposed provider that does not hold the service role (PRI-001: participant roles are read from registration)', async () => {
    expect(refusal(await request(SUPA, { mpanCore: mpan(24), provider: 'ADSA' }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'PROVIDER_NOT_IN_SERVICE_ROLE',
      message:
        'provider ADSA does not act as SMART_DATA_SERVICE (it holds ADVANCED_DATA_SERVICE): propose a participant that holds SMART_DATA_SERVICE',
    });
    expect(refusal(await request(SUPA, { mpanCore: mpan(24), provider: 'NOPE' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'PROVIDER_NOT_IN_SERVICE_ROLE',
    });
  });

  it('refuses an effective date before today UTC: no retrospective appointment (PRI-020), and takes today UTC as the earliest day (PRI-018)', async () => {
    const yesterday = utcDay(-1);
    expect(refusal(await request(SUPA, { mpanCore: mpan(24), effectiveFrom: yesterday }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'RETROSPECTIVE_APPOINTMENT',
      message: `effectiveFrom ${yesterday} is in the past: appointments take effect from today (${utcDay(0)}, UTC) or a later UTC day, never retrospectively (PRI-020)`,
    });
    // Today is allowed (MPAN 24: Smart, SUPA).
    expect(requested(await request(SUPA, { mpanCore: mpan(24), effectiveFrom: utcDay(0) }))).toMatchObject({
      effectiveFrom: utcDay(0),
      status: 'REQUESTED',
    });
  });

  it('refuses a change of supplier processed after the supply start date: "resubmit as CSP" (PRI-020)', async () => {
    // MPAN 3: SUPA has supplied it since 2024-01-01.
    const body = await request(SUPA, { mpanCore: mpan(3), scenario: 'CHANGE_OF_SUPPLIER', effectiveFrom: utcDay(1) });
    expect(refusal(body)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'CHANGE_OF_SUPPLIER_AFTER_SUPPLY_START',
      message: `a change of supplier (COS) must be processed no later than the supply start date 2024-01-01 of SUPA's registration; today (${utcDay(0)}, UTC) is later: resubmit as CSP (scenario CHANGE_OF_SERVICE_PROVIDER)`,
    });
  });

  it("takes a change of supplier processed before the new supplier's supply start date (PRI-020)", async () => {
    // MPAN 21 (Smart, SUPA) changes supplier to SUPB in 10 days: the registration data of that change, set up here.
    const mpanCore = mpan(21);
    const supplyStart = utcDay(10);
    await journey.sql.query(
      `UPDATE registration.supplier_registration SET effective_to = $2 WHERE mpan_core = $1 AND effective_to IS NULL`,
      [mpanCore, supplyStart],
    );
    await journey.sql.query(
      `INSERT INTO registration.supplier_registration (mpan_core, supplier_id, effective_from) VALUES ($1, 'SUPB', $2)`,
      [mpanCore, supplyStart],
    );

    // Before the supply start SUPB is not yet registered; from it, its COS appointment is taken.
    expect(refusal(await request(SUPB, { mpanCore, scenario: 'CHANGE_OF_SUPPLIER', effectiveFrom: utcDay(9) })).reason).toBe(
      'SUPPLIER_NOT_REGISTERED',
    );
    const appointment = requested(await request(SUPB, { mpanCore, scenario: 'CHANGE_OF_SUPPLIER', effectiveFrom: supplyStart }));
    expect(appointment).toMatchObject({
      scenario: 'CHANGE_OF_SUPPLIER',
      requestingSupplier: { id: 'SUPB' },
      effectiveFrom: supplyStart,
      status: 'REQUESTED',
    });
  });

  it('refuses blank contract references', async () => {
    expect(refusal(await request(SUPA, { mpanCore: mpan(24), contractReference: '   ' }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CONTRACT_REFERENCE',
      message: 'contractReference must be 1 to 64 characters (not blank), got 0',
    });
  });

  it('is refused to every role but SUPPLIER by the gateway (access rule)', async () => {
    const { status, body } = await journey.stack.query(
      REQUEST,
      {
        input: {
          mpanCore: mpan(24),
          serviceRole: 'SMART_DATA_SERVICE',
          provider: 'SDSB',
          scenario: 'CHANGE_OF_SERVICE_PROVIDER',
          effectiveFrom: utcDay(1),
          contractReference: 'X',
        },
      },
      RS,
    );
    expectHidden({ status, body }, 'Mutation.requestAppointment');
  });
});

describe('one appointment per MPAN and service role at a time', () => {
  it('refuses with CONFLICT a request overlapping an in-flight or active appointment for the same MPAN and role, and takes one replacing another provider', async () => {
    // MPAN 10: Smart, SUPB, SDSA active since 2025-06-01.
    const mpanCore = mpan(10);
    const overlapping = (body: any) => expect(refusal(body)).toMatchObject({ code: 'CONFLICT', reason: 'OVERLAPPING_APPOINTMENT' });

    // The provider already appointed on that day.
    const same = await request(SUPB, { mpanCore, provider: 'SDSA', effectiveFrom: utcDay(5) });
    overlapping(same);
    expect(refusal(same).message).toContain(`APT-${mpanCore}-DS1 (SDSA, ACCEPTED from 2025-06-01)`);

    // Another provider replaces SDSA from its effective date: taken.
    const { id } = requested(await request(SUPB, { mpanCore, provider: 'SDSB', effectiveFrom: utcDay(5) }));
    // While that request is unanswered, no other for the role, whatever the day or provider.
    overlapping(await request(SUPB, { mpanCore, provider: 'SDSB', effectiveFrom: utcDay(20) }));
    overlapping(await request(SUPB, { mpanCore, provider: 'SDSA', effectiveFrom: utcDay(20) }));
    // Another role of the same MPAN is independent (here: refused only because MSSA is already the metering service).
    expect(
      refusal(await request(SUPB, { mpanCore, serviceRole: 'SMART_METERING_SERVICE', provider: 'MSSA', effectiveFrom: utcDay(20) }))
        .message,
    ).toContain(`APT-${mpanCore}-MS1`);

    // Accepted but not yet in force: still in flight.
    expect((await respond(SDSB, { appointmentId: id, accept: true })).errors).toBeUndefined();
    overlapping(await request(SUPB, { mpanCore, provider: 'SDSA', effectiveFrom: utcDay(20) }));
  });

  it('refuses a request while a seeded request for the role is unanswered (CONFLICT)', async () => {
    // MPAN 2: SUPC has an unanswered request (DS3) for its Smart Data Service.
    const body = await request(SUPC, { mpanCore: mpan(2), provider: 'SDSB', effectiveFrom: utcDay(30) });
    expect(refusal(body)).toMatchObject({
      code: 'CONFLICT',
      reason: 'OVERLAPPING_APPOINTMENT',
      message: expect.stringContaining(`APT-${mpan(2)}-DS3 (SDSB, REQUESTED from 2026-12-20)`),
    });
  });

  it('lets exactly one of several simultaneous requests for the same MPAN and role win', async () => {
    // MPAN 5: Smart, SUPC, SDSA active.
    const mpanCore = mpan(5);
    const bodies = await Promise.all(
      [3, 4, 5, 6].map((days) => request(SUPC, { mpanCore, effectiveFrom: utcDay(days), contractReference: `CTR-RACE-${days}` })),
    );
    const winners = bodies.filter((body) => !body.errors);
    const losers = bodies.filter((body) => body.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map(refusal).map(({ code, reason }) => ({ code, reason }))).toEqual(
      Array(3).fill({ code: 'CONFLICT', reason: 'OVERLAPPING_APPOINTMENT' }),
    );
    const rows = (
      await journey.sql.query(`SELECT id FROM appointment.appointment WHERE mpan_core = $1 AND decision = 'REQUESTED'`, [mpanCore])
    ).rows;
    expect(rows).toEqual([{ id: winners[0].data.requestAppointment.id }]);
    const messages = (
      await journey.sql.query(`SELECT count(*)::int AS n FROM appointment.interface_message WHERE appointment_id = $1`, [rows[0].id])
    ).rows;
    expect(messages).toEqual([{ n: 3 }]);
  });
});

describe('respondToAppointment', () => {
  // MPAN 11: Smart, SUPC, SDSA active; SUPC asks for SDSB.
  let id: string;
  beforeAll(async () => {
    ({ id } = requested(await request(SUPC, { mpanCore: mpan(11), effectiveFrom: utcDay(4) })));
  });

  it('makes the appointment look not found to anyone but the proposed provider acting in its service role', async () => {
    const expected = (as: Actor) => ({
      code: 'NOT_FOUND',
      reason: 'APPOINTMENT_NOT_FOUND',
      message: `no appointment ${id} proposes ${as.participant} as ${as.role}: only the proposed provider, acting in the appointment's service role, can answer it`,
    });
    const SDSB_AS_METERING: Actor = { role: 'SMART_METERING_SERVICE', participant: 'SDSB' };
    for (const as of [SDSA, SDSB_AS_METERING])
      expect(refusal(await respond(as, { appointmentId: id, accept: true }))).toEqual(expected(as));
    expect(refusal(await respond(SDSB, { appointmentId: 'APT-NONE', accept: true }))).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'APPOINTMENT_NOT_FOUND',
    });
    // A supplier cannot answer at all (the access rule).
    const { status, body } = await journey.stack.query(RESPOND, { input: { appointmentId: id, accept: true } }, SUPC);
    expectHidden({ status, body }, 'Mutation.respondToAppointment');
  });

  it('needs a reason to reject (PRI-007: the supplier is told why through the Registration Service)', async () => {
    for (const reason of [undefined, null, '  ']) {
      expect(refusal(await respond(SDSB, { appointmentId: id, accept: false, reason }))).toEqual({
        code: 'BAD_USER_INPUT',
        reason: 'REJECTION_REASON_REQUIRED',
        message: 'a rejection needs a reason (1 to 500 characters), which the Registration Service passes on to the supplier (PRI-007)',
      });
    }
    expect(refusal(await respond(SDSB, { appointmentId: id, accept: false, reason: 'x'.repeat(501) }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'RESPONSE_REASON_TOO_LONG',
    });
    expect((await trailOf(id, SUPC)).status).toBe('REQUESTED');
  });

  it('answers only a REQUESTED appointment: a second answer is a CONFLICT (PRI-003)', async () => {
    expect((await respond(SDSB, { appointmentId: id, accept: true })).errors).toBeUndefined();
    for (const accept of [true, false]) {
      expect(refusal(await respond(SDSB, { appointmentId: id, accept, reason: 'changed my mind' }))).toEqual({
        code: 'CONFLICT',
        reason: 'APPOINTMENT_ALREADY_ANSWERED',
        message: `appointment ${id} was already answered (ACCEPTED): only a REQUESTED appointment can be accepted or rejected`,
      });
    }
    expect((await trailOf(id, SUPC)).messages).toHaveLength(5);
  });

  it('can only reject a request whose effective date has passed: accepting it would be retrospective (PRI-020)', async () => {
    // MPAN 23: Smart, SUPC. The request is made for today, then its day passes before the provider answers.
    const { id: late } = requested(await request(SUPC, { mpanCore: mpan(23), effectiveFrom: utcDay(0) }));
    journey.stack.clock.advance(DAY_MS);
    expect(refusal(await respond(SDSB, { appointmentId: late, accept: true }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'APPOINTMENT_EFFECTIVE_DATE_PASSED',
      message: expect.stringContaining('accepting it now would be retrospective (PRI-020), so it can only be rejected'),
    });
    const current = await journey.stack.query(`{ appointment(id: "APT-${mpan(23)}-DS1") { status effectiveTo } }`, undefined, SUPC);
    expect(current.body.data.appointment).toEqual({ status: 'ACTIVE', effectiveTo: null });
    expect(
      (await respond(SDSB, { appointmentId: late, accept: false, reason: 'Too late to start on that day' })).data.respondToAppointment
        .status,
    ).toBe('REJECTED');
  });
});

describe('overdue requests (PRI-026)', () => {
  const seededOverdue = (supplierId: string, now: number) =>
    dataset.appointments
      .filter((a) => a.supplierId === supplierId && a.decision === 'REQUESTED' && a.respondBy.getTime() < now)
      .sort((a, b) => a.respondBy.getTime() - b.respondBy.getTime() || a.id.localeCompare(b.id))
      .map((a) => ({ id: a.id, overdue: true, status: 'REQUESTED', respondBy: a.respondBy.toISOString() }));

  it("lists a supplier's own unanswered requests past respondBy, oldest deadline first, for it to act on (PRI-026)", async () => {
    // MPAN 41 (Smart, SUPC): a request made a day before the other tests' for a week ahead; its five-day deadline
    // passes unanswered while theirs have not yet.
    journey.stack.clock.advance(-DAY_MS);
    const { id, respondBy } = requested(await request(SUPC, { mpanCore: mpan(41), effectiveFrom: utcDay(7) }));
    const list = `{ overdueAppointments { id overdue status respondBy } }`;
    journey.stack.clock.set(new Date(Date.parse(respondBy) - 1));
    expect((await journey.stack.query(list, undefined, SUPC)).body.data.overdueAppointments.map((a: { id: string }) => a.id)).not.toContain(
      id,
    );
    journey.stack.clock.set(new Date(Date.parse(respondBy) + 60_000));
    const now = journey.stack.clock.now().getTime();

    // respondBy never passes the effective date, so other tests' requests a few days out are overdue by now too.
    const othersOverdue = async (supplierId: string) =>
      (
        await journey.sql.query(
          `SELECT id, respond_by FROM appointment.appointment
            WHERE supplier_id = $1 AND decision = 'REQUESTED' AND respond_by < $2 AND id !~ '^APT-[0-9]{13}-' AND id <> $3`,
          [supplierId, new Date(now), id],
        )
      ).rows.map((row) => ({ id: row.id, overdue: true, status: 'REQUESTED', respondBy: row.respond_by.toISOString() }));
    const byDeadline = (a: { respondBy: string; id: string }, b: { respondBy: string; id: string }) =>
      a.respondBy.localeCompare(b.respondBy) || a.id.localeCompare(b.id);
    const expected = [
      ...seededOverdue('SUPC', now),
      ...(await othersOverdue('SUPC')),
      { id, overdue: true, status: 'REQUESTED', respondBy },
    ].sort((a, b) => a.respondBy.localeCompare(b.respondBy) || a.id.localeCompare(b.id));
    expect(expected.length).toBeGreaterThan(1);
    expect((await journey.stack.query(list, undefined, SUPC)).body).toEqual({ data: { overdueAppointments: expected } });
    // Another supplier sees only its own (SUPA has none overdue in the demo data).
    expect((await journey.stack.query(list, undefined, SUPA)).body).toEqual({
      data: { overdueAppointments: [...seededOverdue('SUPA', now), ...(await othersOverdue('SUPA'))].sort(byDeadline) },
    });

    // Answered, it is no longer overdue; a late answer is still taken: the platform does not enforce the deadline.
    expect((await respond(SDSB, { appointmentId: id, accept: true })).errors).toBeUndefined();
    expect((await journey.stack.query(`{ appointment(id: "${id}") { overdue status } }`, undefined, SUPC)).body.data.appointment).toEqual({
      overdue: false,
      status: 'ACCEPTED',
    });
    expect((await journey.stack.query(list, undefined, SUPC)).body.data.overdueAppointments.map((a: { id: string }) => a.id)).not.toContain(
      id,
    );
  });

  it('shows Appointment.overdue to the requesting supplier and the Registration Service, not to the provider (PRI-026)', async () => {
    // MPAN 2: SUPC's seeded request to SDSB, sent 2026-11-12 and due 2026-11-17.
    const seeded = `APT-${mpan(2)}-DS3`;
    const read = `{ appointment(id: "${seeded}") { overdue } }`;
    expect((await journey.stack.query(read, undefined, SUPC)).body).toEqual({ data: { appointment: { overdue: true } } });
    expect((await journey.stack.query(read, undefined, RS)).body).toEqual({ data: { appointment: { overdue: true } } });

    const { status, body } = await journey.stack.query(read, undefined, SDSB);
    expectHidden({ status, body }, 'Appointment.overdue');
    const listed = await journey.stack.query('{ overdueAppointments { id } }', undefined, SDSB);
    expectHidden(listed, 'Query.overdueAppointments');
  });
});
