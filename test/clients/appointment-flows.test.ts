import type { Actor } from '../support/test-keys';
import { DAY_MS } from '../support/test-clock';
import { meterOf, mpanAt as mpan, refusal, SDSA, SDSB, SUPA, SUPB, SUPC, useJourneyStack, utcDay } from '../support/journey';

// Journeys of the appointment process through the real gateway, one per flow of issue 13: the supplier's way out
// (withdrawal, PRI-026), a `respondBy` that never passes the effective date, the proposed provider's inbox read with the
// metering point's data (IF-033), and the outgoing provider's notice (IF-036). Each flow's feed message is checked in
// the subgraph's outbox, written in the same transaction (PRI-021, PRI-025). The notices a change of supplier brings
// are in appointment-flows-change-of-supplier.test.ts. Demo MPAN index i: see test/support/journey.ts.

const REQUEST = `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { id status requestedAt respondBy } }`;
const RESPOND = `mutation($input: RespondToAppointmentInput!) { respondToAppointment(input: $input) { id status } }`;
const WITHDRAW = `mutation($input: WithdrawAppointmentRequestInput!) {
  withdrawAppointmentRequest(input: $input) { id status messages { interface from { id } to { id } reason } } }`;
const INBOX = `query($at: DateTime!) { appointmentRequests {
  id status effectiveFrom respondBy requestingSupplier { id }
  meteringPoint { mpanCore standingData(at: $at) { marketSegment energisationStatus } meters(at: $at) { meterId meterType }
    currentAppointments { id } readRequests { id } }
} }`;

const journey = useJourneyStack();

async function request(as: Actor, mpanCore: string, effectiveFrom: string, provider = 'SDSB') {
  const { body } = await journey.stack.query(
    REQUEST,
    {
      input: {
        mpanCore,
        serviceRole: 'SMART_DATA_SERVICE',
        provider,
        scenario: 'CHANGE_OF_SERVICE_PROVIDER',
        effectiveFrom,
        contractReference: `CTR-${as.participant}-${provider}`,
      },
    },
    as,
  );
  expect(body.errors).toBeUndefined();
  return body.data.requestAppointment;
}

const withdraw = async (as: Actor, appointmentId: string, reason?: string) =>
  (await journey.stack.query(WITHDRAW, { input: { appointmentId, reason } }, as)).body;

/** The feed messages the appointment subgraph wrote about one appointment, oldest first. */
async function feedOf(appointmentId: string) {
  const { rows } = await journey.sql.query(
    `SELECT type, recipient_participant AS recipient, principle, payload FROM appointment.outbox_message
      WHERE payload->>'appointmentId' = $1 ORDER BY position`,
    [appointmentId],
  );
  return rows;
}

describe('respondBy never after the effective date (PRI-026, PRI-020)', () => {
  it('is the effective date (00:00 UTC) for a request 3 days out, where the 5-day window would pass it', async () => {
    const asked = await request(SUPC, mpan(11), utcDay(3));
    expect(asked.respondBy).toBe(`${utcDay(3)}T00:00:00.000Z`);
  });

  it('is the 5-day window when the effective date is further out', async () => {
    const asked = await request(SUPA, mpan(33), utcDay(9));
    expect(Date.parse(asked.respondBy) - Date.parse(asked.requestedAt)).toBe(5 * DAY_MS);
  });

  it('is the end of today for a request effective today, the last instant it can be accepted', async () => {
    const asked = await request(SUPA, mpan(12), utcDay(0));
    expect(asked.respondBy).toBe(`${utcDay(1)}T00:00:00.000Z`);
  });
});

describe("the proposed provider's inbox, read with the metering point's data (IF-033)", () => {
  it('lists the requests addressed to it with the registration and meter data as on the effective date, nothing nulled', async () => {
    // MPAN 41: Smart, SUPC, a smart meter; SDSB holds no appointment for it, so it sees it only through the request.
    const mpanCore = mpan(41);
    const effectiveFrom = utcDay(6);
    const asked = await request(SUPC, mpanCore, effectiveFrom);
    const { status, body } = await journey.stack.query(INBOX, { at: `${effectiveFrom}T00:00:00Z` }, SDSB);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.appointmentRequests).toContainEqual({
      id: asked.id,
      status: 'REQUESTED',
      effectiveFrom,
      respondBy: asked.respondBy,
      requestingSupplier: { id: 'SUPC' },
      meteringPoint: {
        mpanCore,
        standingData: { marketSegment: 'SMART', energisationStatus: expect.any(String) },
        meters: [{ meterId: meterOf(mpanCore), meterType: 'SMART' }],
        // Its own appointments only (none in force) and no metering data: a proposal is no appointment (PRI-006).
        currentAppointments: [],
        readRequests: [],
      },
    });
  });

  it('reads one request by id with the meter data too; before the request the metering point is not visible at all', async () => {
    const mpanCore = mpan(23);
    const before = await journey.stack.query(`query($m: MpanCore!) { meteringPoint(mpanCore: $m) { mpanCore } }`, { m: mpanCore }, SDSB);
    expect(before.body.data.meteringPoint).toBeNull();
    const effectiveFrom = utcDay(4);
    const asked = await request(SUPC, mpanCore, effectiveFrom);
    const { body } = await journey.stack.query(
      `query($id: ID!, $at: DateTime!) { appointment(id: $id) { id meteringPoint { mpanCore meters(at: $at) { meterId } standingData { marketSegment } } } }`,
      { id: asked.id, at: `${effectiveFrom}T00:00:00Z` },
      SDSB,
    );
    expect(body).toEqual({
      data: {
        appointment: {
          id: asked.id,
          // Current state stays hidden until the appointment would start, as for any future party.
          meteringPoint: { mpanCore, meters: [{ meterId: meterOf(mpanCore) }], standingData: null },
        },
      },
    });
  });

  it("does not list another provider's requests, and a proposal gives no right to submit data (PRI-006)", async () => {
    const { body } = await journey.stack.query(`{ appointmentRequests { id provider { id } } }`, undefined, SDSA);
    expect(body.data.appointmentRequests.every((a: { provider: { id: string } }) => a.provider.id === 'SDSA')).toBe(true);
    const submitted = await journey.stack.query(
      `mutation($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted rejected rejections { reason } } }`,
      {
        input: {
          intervals: [
            {
              mpanCore: mpan(41),
              utcStart: `${utcDay(-1)}T00:00:00Z`,
              periodMinutes: 30,
              quantity: 'ACTIVE_IMPORT',
              value: '0.1',
              quality: 'ACTUAL',
            },
          ],
        },
      },
      SDSB,
    );
    expect(submitted.body.data.submitConsumption).toEqual({ accepted: 0, rejected: 1, rejections: [{ reason: 'NOT_APPOINTED' }] });
  });
});

describe('withdrawal by the supplier until the request is answered (PRI-026)', () => {
  // MPAN 3: Smart, SUPA, SDSA active.
  const mpanCore = mpan(3);

  it('withdraws an unanswered request, tells the provider, and frees the place for a new request at once', async () => {
    const asked = await request(SUPA, mpanCore, utcDay(7));
    // While it is pending, another request for the MPAN and role is refused ...
    const blocked = await journey.stack.query(
      REQUEST,
      {
        input: {
          mpanCore,
          serviceRole: 'SMART_DATA_SERVICE',
          provider: 'SDSB',
          scenario: 'CHANGE_OF_SERVICE_PROVIDER',
          effectiveFrom: utcDay(8),
          contractReference: 'CTR-2',
        },
      },
      SUPA,
    );
    expect(refusal(blocked.body)).toEqual({ code: 'CONFLICT', reason: 'OVERLAPPING_APPOINTMENT' });

    // ... and only the requesting supplier may withdraw it; to anyone else it does not exist.
    expect(refusal(await withdraw(SUPB, asked.id))).toEqual({ code: 'NOT_FOUND', reason: 'APPOINTMENT_NOT_FOUND' });

    const body = await withdraw(SUPA, asked.id, 'Provider did not answer in time');
    expect(body.errors).toBeUndefined();
    expect(body.data.withdrawAppointmentRequest).toEqual({
      id: asked.id,
      status: 'WITHDRAWN',
      messages: [
        { interface: 'IF_031', from: { id: 'SUPA' }, to: { id: 'RSVC' }, reason: null },
        { interface: 'IF_032', from: { id: 'RSVC' }, to: { id: 'SUPA' }, reason: null },
        { interface: 'IF_033', from: { id: 'RSVC' }, to: { id: 'SDSB' }, reason: null },
        { interface: 'WITHDRAWAL', from: { id: 'SUPA' }, to: { id: 'RSVC' }, reason: 'Provider did not answer in time' },
        { interface: 'WITHDRAWAL_NOTICE', from: { id: 'RSVC' }, to: { id: 'SDSB' }, reason: 'Provider did not answer in time' },
      ],
    });
    expect(await feedOf(asked.id)).toEqual([
      expect.objectContaining({ type: 'APPOINTMENT_REQUESTED', recipient: 'SDSB', principle: 'PRI-021' }),
      expect.objectContaining({
        type: 'APPOINTMENT_REQUEST_WITHDRAWN',
        recipient: 'SDSB',
        principle: 'PRI-021',
        payload: expect.objectContaining({ supplierId: 'SUPA', providerId: 'SDSB', reason: 'Provider did not answer in time' }),
      }),
    ]);

    // The provider's inbox no longer holds it, and it can no longer answer it.
    const inbox = (await journey.stack.query(`{ appointmentRequests { id } }`, undefined, SDSB)).body.data.appointmentRequests;
    expect(inbox).not.toContainEqual({ id: asked.id });
    const late = await journey.stack.query(RESPOND, { input: { appointmentId: asked.id, accept: true } }, SDSB);
    expect(refusal(late.body)).toEqual({ code: 'CONFLICT', reason: 'APPOINTMENT_ALREADY_ANSWERED' });

    // A withdrawn request cannot be withdrawn again; a new one for the same MPAN and role goes through.
    expect(refusal(await withdraw(SUPA, asked.id))).toEqual({ code: 'CONFLICT', reason: 'APPOINTMENT_NOT_WITHDRAWABLE' });
    const next = await request(SUPA, mpanCore, utcDay(8));
    expect(next.status).toBe('REQUESTED');
  });

  it('refuses to withdraw once the provider has answered, and writes nothing (CONFLICT APPOINTMENT_NOT_WITHDRAWABLE)', async () => {
    const asked = await request(SUPA, mpan(42), utcDay(5));
    expect((await journey.stack.query(RESPOND, { input: { appointmentId: asked.id, accept: true } }, SDSB)).body.errors).toBeUndefined();
    const before = await feedOf(asked.id);
    expect(refusal(await withdraw(SUPA, asked.id))).toEqual({ code: 'CONFLICT', reason: 'APPOINTMENT_NOT_WITHDRAWABLE' });
    const { body } = await journey.stack.query(
      `query($id: ID!) { appointment(id: $id) { status messages { interface } } }`,
      { id: asked.id },
      SUPA,
    );
    expect(body.data.appointment.status).toBe('ACCEPTED');
    expect(body.data.appointment.messages.map((m: { interface: string }) => m.interface)).not.toContain('WITHDRAWAL');
    expect(await feedOf(asked.id)).toEqual(before);
  });
});

describe("the outgoing provider's notice (IF-036)", () => {
  it('tells the outgoing provider, on its own appointment and in its feed, the day its appointment ends, without naming the successor', async () => {
    // MPAN 4: Smart, SUPB, SDSA the active smart data service since 2024-01-01.
    const mpanCore = mpan(4);
    const effectiveFrom = utcDay(7);
    const asked = await request(SUPB, mpanCore, effectiveFrom);
    expect((await journey.stack.query(RESPOND, { input: { appointmentId: asked.id, accept: true } }, SDSB)).body.errors).toBeUndefined();

    const outgoingId = `APT-${mpanCore}-DS1`;
    const { body } = await journey.stack.query(
      `query($id: ID!) { appointment(id: $id) { status effectiveTo messages { interface from { id } to { id } reason } } }`,
      { id: outgoingId },
      SDSA,
    );
    expect(body.data.appointment.status).toBe('ACTIVE');
    expect(body.data.appointment.effectiveTo).toBe(effectiveFrom);
    expect(body.data.appointment.messages.at(-1)).toEqual({
      interface: 'IF_036',
      from: { id: 'RSVC' },
      to: { id: 'SDSA' },
      reason: `DE_APPOINTED: the appointment ends on ${effectiveFrom}, when another SMART_DATA_SERVICE takes over`,
    });
    expect(JSON.stringify(body)).not.toContain('SDSB');

    expect(await feedOf(outgoingId)).toEqual([
      {
        type: 'APPOINTMENT_ENDED',
        recipient: 'SDSA',
        principle: 'PRI-021',
        payload: {
          appointmentId: outgoingId,
          mpanCore,
          serviceRole: 'SMART_DATA_SERVICE',
          effectiveTo: effectiveFrom,
          interface: 'IF_036',
        },
      },
    ]);
    // The supplier hears the acceptance from the Registration Service (IF-035, PRI-007).
    expect(await feedOf(asked.id)).toEqual([
      expect.objectContaining({ type: 'APPOINTMENT_REQUESTED', recipient: 'SDSB' }),
      expect.objectContaining({
        type: 'APPOINTMENT_ACCEPTED',
        recipient: 'SUPB',
        payload: expect.objectContaining({ interface: 'IF_035' }),
      }),
    ]);
  });
});
