import { appointment } from '../../../subgraphs/appointment';
import { runSweep } from '../../../subgraphs/kit/timed-work';
import { testKeys } from '../../support/test-keys';
import { mpanAt, RSVC, SUPA, useJourneyStack, utcDay } from '../../support/journey';

// The change-of-supplier sweep (README "Messages") run by four replicas at the same instant: each finds the same due
// changes, and still each change is recorded, and announced, once (PRI-021, PRI-025). Its questions to registration
// are signed as the Registration Service, like any subgraph's (kit/question-signer.ts).

const journey = useJourneyStack();
const REQUEST = `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { id } }`;
const REGISTER = `mutation($input: RecordSupplierRegistrationInput!) { recordSupplierRegistration(input: $input) { effectiveFrom } }`;

async function ok(query: string, variables: Record<string, unknown>, as = SUPA) {
  const { body } = await journey.stack.query(query, variables, as);
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** Runs the sweep as `replicas` replicas at once, at `now`; returns how many changes each recorded. */
async function sweepAsReplicas(replicas: number, now: Date): Promise<number[]> {
  const { questionKey } = (await testKeys()).security;
  const subgraphUrls = Object.fromEntries(journey.stack.subgraphs.map((s) => [s.name, s.url]));
  const db = journey.stack.subgraphs.find((s) => s.name === 'appointment')!.db;
  return Promise.all(
    Array.from({ length: replicas }, () => runSweep({ subgraph: appointment, db, questionKey, subgraphUrls }, appointment.sweep!, now)),
  );
}

it('records and announces each change once when four replicas sweep at the same instant', async () => {
  // MPAN 21: Smart, SUPA, SDSA in force; SUPA asks SDSB from day 10, then SUPC gains the MPAN on day 5.
  const mpanCore = mpanAt(21);
  const { requestAppointment } = await ok(REQUEST, {
    input: {
      mpanCore,
      serviceRole: 'SMART_DATA_SERVICE',
      provider: 'SDSB',
      scenario: 'CHANGE_OF_SERVICE_PROVIDER',
      effectiveFrom: utcDay(10),
      contractReference: 'CTR-SWEEP',
    },
  });
  await ok(REGISTER, { input: { mpanCore, supplierId: 'SUPC', effectiveFrom: utcDay(5) } }, RSVC);
  const announced = async () =>
    (
      await journey.sql.query(
        `SELECT type, recipient_participant AS recipient, payload->>'appointmentId' AS "appointmentId"
           FROM appointment.outbox_message WHERE mpan_core = $1 AND type IN ('APPOINTMENT_REQUEST_LAPSED', 'APPOINTMENT_ENDED')
          ORDER BY position`,
        [mpanCore],
      )
    ).rows;

  // The first run fixes the sweep's first day; before the supply start nothing is due.
  expect(await sweepAsReplicas(4, new Date(`${utcDay(0)}T12:00:00Z`))).toEqual([0, 0, 0, 0]);
  expect(await announced()).toEqual([]);

  const recorded = await sweepAsReplicas(4, new Date(`${utcDay(5)}T00:05:00Z`));
  // The request lapses; SUPA's smart data and smart metering services in force end on the supply start.
  expect(recorded.reduce((a, b) => a + b, 0)).toBe(3);
  const notices = await announced();
  expect(notices).toHaveLength(3);
  expect(notices).toEqual(
    expect.arrayContaining([
      { type: 'APPOINTMENT_REQUEST_LAPSED', recipient: 'SDSB', appointmentId: requestAppointment.id },
      { type: 'APPOINTMENT_ENDED', recipient: 'SDSA', appointmentId: `APT-${mpanCore}-DS1` },
      { type: 'APPOINTMENT_ENDED', recipient: 'MSSA', appointmentId: expect.stringMatching(/^APT-/) },
    ]),
  );
  // And again later: nothing more.
  expect(await sweepAsReplicas(2, new Date(`${utcDay(6)}T00:05:00Z`))).toEqual([0, 0]);
  expect(await announced()).toHaveLength(3);
}, 60_000);
