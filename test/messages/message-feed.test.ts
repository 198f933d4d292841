import { buildDemoDataset } from '../../dev/build-dataset';
import { createDatabase } from '../../subgraphs/kit/db';
import { writeMessages } from '../../subgraphs/kit/outbox';
import { startTestStack, TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';
import { TEST_NOW } from '../support/test-clock';
import { ACKNOWLEDGE, MESSAGES, mutate, readMessages, requestSdsb, RESPOND, SDSA, SDSB, SUPA, SUPB, SUPC } from './support';

// The targeted message feed through the gateway (README "Messages"): each participant reads only what a process
// addressed to it (PRI-021) or to its acting role (PRI-022); nothing else exists for it (PRI-023), and the feed is
// kept in the subgraphs' databases, never in the gateway (PRI-024, PRI-025).

const dataset = buildDemoDataset(TEST_NOW);
const mpan = (index: number) => dataset.meteringPoints[index].mpanCore;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const types = (page: { edges: { node: { type: string } }[] }) => page.edges.map((edge) => edge.node.type);

describe('appointment messages', () => {
  // MPAN 4: Smart, supplied by SUPB, SDSA the Smart Data Service in force.
  const mpanCore = mpan(4);
  let appointmentId: string;

  it('tells the proposed provider of a request addressed to it (IF-033, PRI-021), and nobody else', async () => {
    appointmentId = await requestSdsb(stack, SUPB, mpanCore);
    const page = await readMessages(stack, SDSB);
    expect(page.edges).toHaveLength(1);
    const [{ node }] = page.edges;
    expect(node).toMatchObject({
      id: expect.stringMatching(/^MSG-/),
      type: 'APPOINTMENT_REQUESTED',
      recipientParticipant: 'SDSB',
      recipientRole: null,
      mpanCore,
      principle: 'PRI-021',
      createdAt: TEST_NOW.toISOString(),
    });
    expect(JSON.parse(node.payload)).toMatchObject({ appointmentId, supplierId: 'SUPB', interface: 'IF_033', relayedBy: 'RSVC' });
    // The supplier, the provider in force and another supplier are not told (PRI-023: no default notifications).
    for (const other of [SUPB, SDSA, SUPC]) expect((await readMessages(stack, other)).edges).toEqual([]);
  });

  it('relays the provider’s answer to the requesting supplier through the Registration Service (IF-035, PRI-021)', async () => {
    await mutate(stack, RESPOND, { input: { appointmentId, accept: true } }, SDSB);
    const page = await readMessages(stack, SUPB);
    expect(types(page)).toEqual(['APPOINTMENT_ACCEPTED']);
    expect(JSON.parse(page.edges[0].node.payload)).toMatchObject({
      appointmentId,
      providerId: 'SDSB',
      interface: 'IF_035',
      relayedBy: 'RSVC',
    });
    expect((await readMessages(stack, SUPC)).edges).toEqual([]);
    // The provider's own answer is not echoed back to it.
    expect(types(await readMessages(stack, SDSB))).toEqual(['APPOINTMENT_REQUESTED']);
  });

  it('tells the supplier of a rejection with its reason', async () => {
    // MPAN 11: Smart, supplied by SUPC, SDSA in force, nothing pending.
    const rejected = await requestSdsb(stack, SUPC, mpan(11));
    await mutate(stack, RESPOND, { input: { appointmentId: rejected, accept: false, reason: 'no capacity' } }, SDSB);
    const page = await readMessages(stack, SUPC);
    expect(types(page)).toEqual(['APPOINTMENT_REJECTED']);
    expect(JSON.parse(page.edges[0].node.payload)).toMatchObject({ appointmentId: rejected, reason: 'no capacity' });
  });
});

describe('settlement messages', () => {
  const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
  const SUBMIT = `mutation($input: SubmitAggregationInput!) { submitAggregation(input: $input) { id } }`;
  // 2026-08-03 (BST) starts at 23:00 UTC the day before.
  const volume = (supplierId: string, value: string) => ({
    utcStart: '2026-08-02T23:00:00Z',
    supplierId,
    gspGroupId: '_C',
    bmUnitId: `2__C${supplierId}001`,
    marketSegment: 'SMART',
    volume: value,
    mpanCount: 1,
    actualCount: 1,
    estimatedCount: 0,
  });
  const submit = (volumes: ReturnType<typeof volume>[]) =>
    mutate(stack, SUBMIT, { input: { settlementDate: '2026-08-03', runType: 'R3', volumes, exceptions: [] } }, MDS);

  it('tells a supplier when a rerun changed its volumes, and only then (PRI-021, PRI-023)', async () => {
    const before = { SUPA: (await readMessages(stack, SUPA)).edges.length, SUPB: (await readMessages(stack, SUPB)).edges.length };
    await submit([volume('SUPA', '1.5'), volume('SUPB', '2.5')]);
    // A first run is no change: nobody is told.
    expect((await readMessages(stack, SUPA)).edges).toHaveLength(before.SUPA);
    // The rerun changes SUPA's volume and leaves SUPB's as it was (written differently, same number).
    await submit([volume('SUPA', '1.75'), volume('SUPB', '2.500')]);
    const supa = (await readMessages(stack, SUPA)).edges.slice(before.SUPA).map((edge) => edge.node);
    expect(supa).toEqual([
      expect.objectContaining({ type: 'SETTLEMENT_VOLUMES_CHANGED', recipientParticipant: 'SUPA', principle: 'PRI-021' }),
    ]);
    expect(JSON.parse(supa[0].payload)).toEqual({ runId: 'RUN-2026-08-03-R3', settlementDate: '2026-08-03', runType: 'R3' });
    expect((await readMessages(stack, SUPB)).edges).toHaveLength(before.SUPB);
    // The same rerun again changes nothing: no message.
    await submit([volume('SUPA', '1.75'), volume('SUPB', '2.5')]);
    expect((await readMessages(stack, SUPA)).edges).toHaveLength(before.SUPA + 1);
  });
});

describe('targeting (PRI-021, PRI-022)', () => {
  const METER_READERS: Actor = { role: 'METER_READING_SERVICE', participant: 'MRSA' };

  it('shows a role-targeted message to whoever acts in that role, and to no other role of the same participant', async () => {
    const db = createDatabase(stack.database.url, { maxConnections: 1 });
    try {
      await db.transaction((tx) =>
        writeMessages(
          tx,
          'metering_data',
          [
            {
              type: 'READ_REQUEST_RAISED',
              recipient: { role: 'METER_READING_SERVICE' },
              payload: { readRequestId: 'RR-1' },
              principle: 'PRI-022',
            },
          ],
          TEST_NOW,
        ),
      );
    } finally {
      await db.close();
    }
    const page = await readMessages(stack, METER_READERS);
    expect(page.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({
        type: 'READ_REQUEST_RAISED',
        recipientRole: 'METER_READING_SERVICE',
        recipientParticipant: null,
        principle: 'PRI-022',
      }),
    ]);
    expect(types(await readMessages(stack, { role: 'METER_READING_SERVICE', participant: 'MRSB' }))).toEqual(['READ_REQUEST_RAISED']);
    // SDSA acting as a smart data service has its own participant messages (APPOINTMENT_ENDED, IF-036, when the
    // acceptance above replaced it), but never the role-targeted one.
    expect(types(await readMessages(stack, SDSA))).not.toContain('READ_REQUEST_RAISED');
  });

  it('refuses a cursor it did not hand out, like any bad input', async () => {
    for (const after of ['nope', Buffer.from(JSON.stringify({ v: 1, p: { elsewhere: 3 } })).toString('base64url')]) {
      const { body } = await stack.query(MESSAGES, { after }, SUPB);
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    }
    const { body } = await stack.query(MESSAGES, { first: 501 }, SUPB);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE' });
  });
});

describe('cursors and acknowledgement (PRI-025)', () => {
  it('keeps each subgraph’s order when business times interleave across subgraphs: one page at a time, nothing skipped', async () => {
    const reader: Actor = { role: 'DISTRIBUTOR', participant: 'DNOX' };
    const at = (minutes: number) => new Date(TEST_NOW.getTime() + minutes * 60_000);
    const db = createDatabase(stack.database.url, { maxConnections: 1 });
    const write = (dbSchema: string, n: number, now: Date) =>
      db.transaction((tx) =>
        writeMessages(
          tx,
          dbSchema,
          [{ type: 'TEST_NOTICE', recipient: { participant: 'DNOX' }, payload: { n }, principle: 'PRI-021' }],
          now,
        ),
      );
    try {
      // appointment writes n=1 at +2 min, then n=2 stamped earlier (+0); settlement writes n=3 at +1 min.
      await write('appointment', 1, at(2));
      await write('appointment', 2, at(0));
      await write('settlement', 3, at(1));
    } finally {
      await db.close();
    }
    const seen: number[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await readMessages(stack, reader, { after, first: 1 });
      seen.push(...page.edges.map((edge) => JSON.parse(edge.node.payload).n as number));
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    // Oldest first where the order allows it, but n=2 never before n=1 of its own subgraph, and all three once.
    expect(seen).toEqual([3, 1, 2]);
  });

  it('pages without gaps or repeats, and continues after the acknowledged cursor', async () => {
    // Five requests for SDSB (Smart metering points with SDSA in force and nothing pending): seven messages for SDSB
    // with the two requests above.
    await requestSdsb(stack, SUPB, mpan(22));
    await requestSdsb(stack, SUPB, mpan(34));
    for (const index of [12, 24, 42]) await requestSdsb(stack, SUPA, mpan(index));

    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await readMessages(stack, SDSB, { after, first: 2 });
      seen.push(...page.edges.map((edge) => edge.node.id));
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);

    const all = await readMessages(stack, SDSB);
    expect(all.edges.map((edge) => edge.node.id)).toEqual(seen);
    // Acknowledging the third: the feed without `after` continues with the fourth.
    const acknowledged = await mutate(stack, ACKNOWLEDGE, { cursor: all.edges[2].cursor }, SDSB);
    expect(acknowledged.acknowledgeMessages.cursor).toBe(all.edges[2].cursor);
    expect((await readMessages(stack, SDSB)).edges.map((edge) => edge.node.id)).toEqual(seen.slice(3));
    // An older cursor never moves the acknowledgement back.
    const older = await mutate(stack, ACKNOWLEDGE, { cursor: all.edges[0].cursor }, SDSB);
    expect(older.acknowledgeMessages.cursor).toBe(all.edges[2].cursor);
    // Acknowledgements are the caller's own: SUPB's feed still starts at its first message.
    expect(types(await readMessages(stack, SUPB))).toEqual(['APPOINTMENT_ACCEPTED']);
    // An empty page hands back the cursor it was given, so a poller keeps its place.
    const end = all.pageInfo.endCursor;
    expect((await readMessages(stack, SDSB, { after: end })).pageInfo).toEqual({ endCursor: end, hasNextPage: false });
  });
});

describe('a request lapsed at a change of supplier', () => {
  it('tells the proposed provider that the losing supplier’s request lapsed, with the gaining supplier’s request (PRI-021)', async () => {
    const RSVC: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' };
    // MPAN 12: SUPA's, with SUPA's request for SDSB from utcDay(7) pending (above).
    const mpanCore = mpan(12);
    const mark = (await readMessages(stack, SDSB, { first: 500 })).pageInfo.endCursor;
    await mutate(
      stack,
      `mutation($input: RecordSupplierRegistrationInput!) { recordSupplierRegistration(input: $input) { effectiveFrom } }`,
      { input: { mpanCore, supplierId: 'SUPC', effectiveFrom: '2026-12-03' } },
      RSVC,
    );
    const gaining = await mutate(
      stack,
      `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { id } }`,
      {
        input: {
          mpanCore,
          serviceRole: 'SMART_DATA_SERVICE',
          provider: 'SDSB',
          scenario: 'CHANGE_OF_SUPPLIER',
          effectiveFrom: '2026-12-03',
          contractReference: 'CTR-SUPC-COS',
        },
      },
      SUPC,
    );
    const page = await readMessages(stack, SDSB, { after: mark });
    expect(page.edges.map((edge) => [edge.node.type, JSON.parse(edge.node.payload).supplierId])).toEqual([
      ['APPOINTMENT_REQUEST_LAPSED', 'SUPA'],
      ['APPOINTMENT_REQUESTED', 'SUPC'],
    ]);
    expect(JSON.parse(page.edges[0].node.payload).reason).toContain('not registered');
    expect(JSON.parse(page.edges[1].node.payload).appointmentId).toBe(gaining.requestAppointment.id);
    // The losing supplier is not told by this process (PRI-023).
    expect(types(await readMessages(stack, SUPA)).filter((type) => type.startsWith('APPOINTMENT'))).toEqual([]);
  });
});
