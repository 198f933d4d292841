import { startTestStack, type TestStack } from '../support/test-stack';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testClock, TEST_NOW, DAY_MS } from '../support/test-clock';
import { testKeys, type Actor } from '../support/test-keys';
import { startSubgraphs, stopSubgraphs, type RunningSubgraph } from '../../dev/start-stack';
import { DEFAULT_RELAY_MS } from '../../subgraphs/kit/timed-work';
import { mpanAt as mpan, RSVC, SDSA, SDSB, SUPA, SUPC, utcDay } from '../support/journey';
import { readMessages, mutate, requestSdsb, RESPOND } from '../messages/support';

// The notices a change of supplier brings, through the real gateway and read with `messages` (PRI-021, PRI-025):
// on the day the gaining supplier's registration takes effect, the proposed provider of the losing supplier's pending
// request is told it lapsed (APPOINTMENT_REQUEST_LAPSED) and the provider of its appointment in force that it ended
// (APPOINTMENT_ENDED, IF-036). Nobody has to make another request for that to happen: the appointment subgraph's
// sweep does it on the business clock, and a second replica of the subgraphs sweeping the same database, a restart,
// and a request that records the lapse first never make a second message.

const SWEEP_MS = 150;
const SUPPLY_START = utcDay(5);

const RECORD_REGISTRATION = `mutation($input: RecordSupplierRegistrationInput!) { recordSupplierRegistration(input: $input) { effectiveFrom } }`;

const clock = testClock();
let database: TestDatabase;
let stack: TestStack;
let replica: RunningSubgraph[] | undefined;

beforeAll(async () => {
  database = await createTestDatabase('demo');
  stack = await startTestStack(database, { clock, timedWork: { sweepMs: SWEEP_MS } });
}, 120_000);

afterAll(async () => {
  if (replica) await stopSubgraphs(replica);
  await stack?.stop();
  await database?.drop();
}, 120_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The messages of `type` about `mpanCore` in `as`'s feed (read from the start, through the gateway). */
async function noticesOf(as: Actor, type: string, mpanCore: string) {
  const { edges } = await readMessages(stack, as, { first: 100 });
  return edges
    .map((edge) => ({
      ...edge.node,
      mpanCore: edge.node.mpanCore as string,
      payload: JSON.parse(edge.node.payload) as Record<string, unknown>,
    }))
    .filter((node) => node.type === type && node.mpanCore === mpanCore);
}

/** Waits (at most 10 s) until `as` holds at least one such notice, then a few sweeps more, and returns them all. */
async function settledNotices(as: Actor, type: string, mpanCore: string) {
  const deadline = Date.now() + 10_000;
  while ((await noticesOf(as, type, mpanCore)).length === 0 && Date.now() < deadline) await sleep(50);
  await sleep(5 * SWEEP_MS);
  return noticesOf(as, type, mpanCore);
}

const requestSdsbFrom = (as: Actor, mpanCore: string, effectiveFrom: string, scenario?: string) =>
  requestSdsb(stack, as, mpanCore, { effectiveFrom, scenario });

const registerSupc = (mpanCore: string) =>
  mutate(stack, RECORD_REGISTRATION, { input: { mpanCore, supplierId: 'SUPC', effectiveFrom: SUPPLY_START } }, RSVC);

describe('a change of supplier tells the losing supplier’s providers when it takes effect (PRI-021, IF-036)', () => {
  // MPAN 21: Smart, SUPA registered since 2024, SDSA its smart data service in force (APT-…-DS1).
  const mpanCore = mpan(21);
  const outgoing = `APT-${mpanCore}-DS1`;
  let pending: string;

  it('announces nothing before the gaining supplier’s registration takes effect', async () => {
    pending = await requestSdsbFrom(SUPA, mpanCore, utcDay(10));
    await registerSupc(mpanCore);
    // A second replica of every subgraph on the same database and clock sweeps too.
    const { security } = await testKeys();
    replica = await startSubgraphs({
      databaseUrl: database.url,
      contextVerifier: security.contextVerifier,
      questionKey: security.questionKey,
      timedWork: { clock, sweepMs: SWEEP_MS, relayMs: DEFAULT_RELAY_MS },
    });
    await sleep(6 * SWEEP_MS);
    expect(await noticesOf(SDSB, 'APPOINTMENT_REQUEST_LAPSED', mpanCore)).toEqual([]);
    expect(await noticesOf(SDSA, 'APPOINTMENT_ENDED', mpanCore)).toEqual([]);
  }, 60_000);

  it('on the supply start, tells the proposed provider its request lapsed and the outgoing provider its appointment ended, once each', async () => {
    clock.set(`${SUPPLY_START}T00:30:00Z`);
    const lapsed = await settledNotices(SDSB, 'APPOINTMENT_REQUEST_LAPSED', mpanCore);
    expect(lapsed).toEqual([
      expect.objectContaining({
        recipientParticipant: 'SDSB',
        principle: 'PRI-021',
        payload: expect.objectContaining({
          appointmentId: pending,
          supplierId: 'SUPA',
          effectiveFrom: utcDay(10),
          reason: expect.stringContaining('CHANGE_OF_SUPPLIER'),
        }),
      }),
    ]);
    const ended = await settledNotices(SDSA, 'APPOINTMENT_ENDED', mpanCore);
    expect(ended).toEqual([
      expect.objectContaining({
        recipientParticipant: 'SDSA',
        principle: 'PRI-021',
        payload: expect.objectContaining({ appointmentId: outgoing, effectiveTo: SUPPLY_START, interface: 'IF_036' }),
      }),
    ]);
    // The gaining supplier is not named to the outgoing provider.
    expect(JSON.stringify(ended)).not.toContain('SUPC');

    // The recorded state says the same as the messages: the request lapsed, the appointment ends on the supply start
    // with the end notice on its trail.
    const { body } = await stack.query(
      `query($id: ID!) { appointment(id: $id) { status effectiveTo messages { interface reason } } }`,
      { id: outgoing },
      SDSA,
    );
    expect(body.data.appointment.effectiveTo).toBe(SUPPLY_START);
    expect(body.data.appointment.messages.at(-1)).toEqual({
      interface: 'IF_036',
      reason: `CHANGE_OF_SUPPLIER: the appointment ends on ${SUPPLY_START}, when SUPA is no longer the registered supplier`,
    });
    const request = await stack.query(`query($id: ID!) { appointment(id: $id) { status } }`, { id: pending }, SDSB);
    expect(request.body.data.appointment.status).toBe('LAPSED');
  }, 60_000);

  it('sends nothing again after a restart of the whole stack', async () => {
    if (replica) await stopSubgraphs(replica);
    replica = undefined;
    await stack.stop();
    stack = await startTestStack(database, { clock, timedWork: { sweepMs: SWEEP_MS } });
    clock.advance(DAY_MS);
    await sleep(6 * SWEEP_MS);
    expect(await noticesOf(SDSB, 'APPOINTMENT_REQUEST_LAPSED', mpanCore)).toHaveLength(1);
    expect(await noticesOf(SDSA, 'APPOINTMENT_ENDED', mpanCore)).toHaveLength(1);
  }, 180_000);
});

describe('a lapse recorded by the gaining supplier’s request is announced once, not again on the supply start', () => {
  // MPAN 33: Smart, SUPA registered since 2024, SDSA in force. Starts again from the day before the supply start.
  const mpanCore = mpan(33);

  it('tells the proposed provider when the request needs the place, and the sweep adds nothing on the day', async () => {
    clock.set(TEST_NOW);
    const pending = await requestSdsbFrom(SUPA, mpanCore, utcDay(10));
    await registerSupc(mpanCore);
    // The gaining supplier's own request needs the place: the losing supplier's request lapses now, with its message.
    await requestSdsbFrom(SUPC, mpanCore, SUPPLY_START, 'CHANGE_OF_SUPPLIER');
    const before = await noticesOf(SDSB, 'APPOINTMENT_REQUEST_LAPSED', mpanCore);
    expect(before.map((n) => n.payload.appointmentId)).toEqual([pending]);

    clock.set(`${SUPPLY_START}T00:30:00Z`);
    // The outgoing provider's notice shows the sweep has run on the supply start; the lapse is still announced once.
    expect(await settledNotices(SDSA, 'APPOINTMENT_ENDED', mpanCore)).toHaveLength(1);
    expect(await noticesOf(SDSB, 'APPOINTMENT_REQUEST_LAPSED', mpanCore)).toEqual(before);
  }, 60_000);

  it('does not tell a provider whose appointment the new provider replaces a second time (IF-036 once)', async () => {
    // MPAN 42: Smart, SUPA, SDSA in force; SUPC from the supply start appoints SDSB, which accepts before the day.
    const other = mpan(42);
    clock.set(TEST_NOW);
    await registerSupc(other);
    const gaining = await requestSdsbFrom(SUPC, other, SUPPLY_START, 'CHANGE_OF_SUPPLIER');
    expect((await mutate(stack, RESPOND, { input: { appointmentId: gaining, accept: true } }, SDSB)).respondToAppointment.status).toBe(
      'ACCEPTED',
    );
    expect(await noticesOf(SDSA, 'APPOINTMENT_ENDED', other)).toHaveLength(1);
    clock.set(`${SUPPLY_START}T00:30:00Z`);
    await sleep(6 * SWEEP_MS);
    expect(await noticesOf(SDSA, 'APPOINTMENT_ENDED', other)).toHaveLength(1);
  }, 60_000);

  it('tells the outgoing provider the supply start, not the later start of the gaining supplier’s provider', async () => {
    // MPAN 12: Smart, SUPA, SDSA in force; SUPC appoints SDSB from three days after its supply start.
    const other = mpan(12);
    clock.set(TEST_NOW);
    await registerSupc(other);
    const gaining = await requestSdsbFrom(SUPC, other, utcDay(8));
    await mutate(stack, RESPOND, { input: { appointmentId: gaining, accept: true } }, SDSB);
    // The acceptance does not de-appoint SDSA on day 8: the change of supplier ends its appointment sooner.
    expect(await noticesOf(SDSA, 'APPOINTMENT_ENDED', other)).toEqual([]);
    clock.set(`${SUPPLY_START}T00:30:00Z`);
    const ended = await settledNotices(SDSA, 'APPOINTMENT_ENDED', other);
    expect(ended.map((notice) => notice.payload.effectiveTo)).toEqual([SUPPLY_START]);
    clock.set(`${utcDay(8)}T00:30:00Z`);
    await sleep(6 * SWEEP_MS);
    expect(await noticesOf(SDSA, 'APPOINTMENT_ENDED', other)).toHaveLength(1);
  }, 60_000);
});
