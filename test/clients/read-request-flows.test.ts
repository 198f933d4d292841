import { Client } from 'pg';
import type { Actor } from '../support/test-keys';
import { TEST_NOW } from '../support/test-clock';
import {
  inDays,
  meterOf,
  mpanAt as mpan,
  MRSA,
  refusal,
  RSVC as RS,
  SDSA,
  SUPA,
  SUPB,
  SUPC,
  useJourneyStack,
  utcDay,
} from '../support/journey';

// Journeys of the read-request process through the real gateway (PRI-006: a meter reading service takes an initial
// read only): raised by the supplier or the smart data service, cancelled by whoever raised it, the meter reading
// service's work list, and the change-of-supplier read. Each step's feed message is checked in the metering-data
// outbox, written in the same transaction (PRI-021, PRI-025). Demo MPAN index i: see test/support/journey.ts (a
// traditional meter when i % 10 === 4, which has an open seeded request raised by its supplier).

const REQUEST_FIELDS = 'id mpanCore meterId reason status meterReadingService { id } raisedBy { id } dueBy cancelledAt cancellationReason';
const RAISE = `mutation($input: RaiseReadRequestInput!) { raiseReadRequest(input: $input) { ${REQUEST_FIELDS} } }`;
const CANCEL = `mutation($input: CancelReadRequestInput!) { cancelReadRequest(input: $input) { ${REQUEST_FIELDS} } }`;
const WORK_LIST = `{ readWorkList { id mpanCore meterId reason dueBy } }`;

const journey = useJourneyStack();

interface RaiseInput {
  mpanCore: string;
  meterId?: string;
  reason?: string;
  meterReadingService?: string;
  dueBy?: string;
}

const raise = async (as: Actor, input: RaiseInput) =>
  (
    await journey.stack.query(
      RAISE,
      {
        input: {
          meterId: meterOf(input.mpanCore),
          reason: 'SMART_COMMS_FAULT',
          meterReadingService: 'MRSA',
          dueBy: inDays(7),
          ...input,
        },
      },
      as,
    )
  ).body;

const cancel = async (as: Actor, readRequestId: string, reason?: string) =>
  (await journey.stack.query(CANCEL, { input: { readRequestId, reason } }, as)).body;

async function feedOf(readRequestId: string) {
  const { rows } = await journey.sql.query(
    `SELECT type, recipient_participant AS recipient, principle, payload->>'readRequestId' AS "readRequestId"
       FROM metering_data.outbox_message WHERE payload->>'readRequestId' = $1 ORDER BY position`,
    [readRequestId],
  );
  return rows;
}

const workList = async () => (await journey.stack.query(WORK_LIST, undefined, MRSA)).body.data.readWorkList as { id: string }[];

describe('raising and cancelling a read request (PRI-006)', () => {
  // MPAN 1: Smart, SUPB, a smart meter without an open request.
  const mpanCore = mpan(1);

  it("the supplier raises one; it joins the meter reading service's work list and feed; the supplier cancels it and both are told", async () => {
    const raised = await raise(SUPB, { mpanCore });
    expect(raised.errors).toBeUndefined();
    const request = raised.data.raiseReadRequest;
    expect(request).toEqual({
      id: expect.stringMatching(/^RR-/),
      mpanCore,
      meterId: meterOf(mpanCore),
      reason: 'SMART_COMMS_FAULT',
      status: 'OPEN',
      meterReadingService: { id: 'MRSA' },
      raisedBy: { id: 'SUPB' },
      dueBy: inDays(7),
      cancelledAt: null,
      cancellationReason: null,
    });
    expect(await workList()).toContainEqual({
      id: request.id,
      mpanCore,
      meterId: meterOf(mpanCore),
      reason: 'SMART_COMMS_FAULT',
      dueBy: inDays(7),
    });
    // While it is open the meter reading service may see the metering point it must visit (its address and meters).
    const visit = await journey.stack.query(
      `query($m: MpanCore!) { meteringPoint(mpanCore: $m) { meters { meterId } } }`,
      { m: mpanCore },
      MRSA,
    );
    expect(visit.body.data.meteringPoint).toEqual({ meters: [{ meterId: meterOf(mpanCore) }] });

    // A second request for the same meter would send a second visit.
    expect(refusal(await raise(SDSA, { mpanCore }))).toEqual({ code: 'CONFLICT', reason: 'READ_REQUEST_ALREADY_OPEN' });
    // Only whoever raised it may cancel it; to anyone else it does not exist.
    expect(refusal(await cancel(SDSA, request.id))).toEqual({ code: 'NOT_FOUND', reason: 'READ_REQUEST_NOT_FOUND' });

    const cancelled = await cancel(SUPB, request.id, 'Customer sent a photo of the meter');
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data.cancelReadRequest).toMatchObject({
      id: request.id,
      status: 'CANCELLED',
      cancelledAt: TEST_NOW.toISOString(),
      cancellationReason: 'Customer sent a photo of the meter',
    });
    expect(await workList()).not.toContainEqual(expect.objectContaining({ id: request.id }));
    const gone = await journey.stack.query(`query($m: MpanCore!) { meteringPoint(mpanCore: $m) { mpanCore } }`, { m: mpanCore }, MRSA);
    expect(gone.body.data.meteringPoint).toBeNull();
    expect(await feedOf(request.id)).toEqual([
      { type: 'READ_REQUEST_RAISED', recipient: 'MRSA', principle: 'PRI-021', readRequestId: request.id },
      { type: 'READ_REQUEST_CANCELLED', recipient: 'MRSA', principle: 'PRI-021', readRequestId: request.id },
    ]);
    expect(refusal(await cancel(SUPB, request.id))).toEqual({ code: 'CONFLICT', reason: 'READ_REQUEST_NOT_OPEN' });
  });

  it('the appointed smart data service raises one too, and the meter reading service answers it', async () => {
    const raised = await raise(SDSA, { mpanCore, dueBy: inDays(3) });
    expect(raised.errors).toBeUndefined();
    const id = raised.data.raiseReadRequest.id;
    expect(raised.data.raiseReadRequest.raisedBy).toEqual({ id: 'SDSA' });
    // The work list is earliest due first.
    const list = await workList();
    const dues = list.map((q: any) => Date.parse(q.dueBy));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));

    journey.stack.clock.set(inDays(1));
    const answered = await journey.stack.query(
      `mutation($input: SubmitMeterReadingInput!) { submitMeterReading(input: $input) { id status } }`,
      {
        input: { readRequestId: id, meterId: meterOf(mpanCore), registerId: '1', value: '1234.5', readAt: inDays(0.9), method: 'CUSTOMER' },
      },
      MRSA,
    );
    expect(answered.body).toEqual({ data: { submitMeterReading: { id, status: 'FULFILLED' } } });
    expect((await feedOf(id)).map((m: { type: string; recipient: string }) => [m.type, m.recipient])).toEqual([
      ['READ_REQUEST_RAISED', 'MRSA'],
      ['READ_REQUEST_FULFILLED', 'SDSA'],
    ]);
  });

  it('refuses with a clear reason and writes nothing', async () => {
    const before = Number((await journey.sql.query('SELECT count(*) FROM metering_data.read_request')).rows[0].count);
    const outbox = Number((await journey.sql.query('SELECT count(*) FROM metering_data.outbox_message')).rows[0].count);
    // MPAN 3: Smart, SUPA.
    const other = mpan(3);
    expect(refusal(await raise(SUPB, { mpanCore: other }))).toEqual({ code: 'NOT_FOUND', reason: 'NOT_RESPONSIBLE_FOR_METERING_POINT' });
    expect(refusal(await raise(SUPA, { mpanCore: other, dueBy: inDays(-1) }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_DUE_BY',
    });
    expect(refusal(await raise(SUPA, { mpanCore: other, dueBy: inDays(31) }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_DUE_BY',
    });
    expect(refusal(await raise(SUPA, { mpanCore: other, meterReadingService: 'SDSB' }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'NOT_A_METER_READING_SERVICE',
    });
    expect(refusal(await raise(SUPA, { mpanCore: other, meterId: 'M0000000000' }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_METER',
    });
    expect(refusal(await raise(SUPA, { mpanCore: other, reason: 'NON_SMART_METER' }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'READ_REASON_NOT_FOR_METER',
    });
    expect(refusal(await raise(SUPA, { mpanCore: other, reason: 'CHANGE_OF_SUPPLIER' }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'NOT_A_CHANGE_OF_SUPPLIER',
    });
    // MPAN 4: a traditional meter with an open seeded request.
    expect(refusal(await raise(SUPB, { mpanCore: mpan(4), reason: 'NON_SMART_METER' }))).toEqual({
      code: 'CONFLICT',
      reason: 'READ_REQUEST_ALREADY_OPEN',
    });
    expect(Number((await journey.sql.query('SELECT count(*) FROM metering_data.read_request')).rows[0].count)).toBe(before);
    expect(Number((await journey.sql.query('SELECT count(*) FROM metering_data.outbox_message')).rows[0].count)).toBe(outbox);
  });
});

describe('the change-of-supplier read (READING_COS)', () => {
  it('the gaining supplier raises it before its supply start; the reading taken on the day is stored as READING_COS and it reads it', async () => {
    // MPAN 32: Smart, SUPC; SUPA gains it in three days.
    const mpanCore = mpan(32);
    const supplyStart = utcDay(3);
    const registered = await journey.stack.query(
      `mutation($input: RecordSupplierRegistrationInput!) { recordSupplierRegistration(input: $input) { effectiveFrom } }`,
      { input: { mpanCore, supplierId: 'SUPA', effectiveFrom: supplyStart } },
      RS,
    );
    expect(registered.body.errors).toBeUndefined();

    // The losing supplier has no change of supplier to read for.
    expect(refusal(await raise(SUPC, { mpanCore, reason: 'CHANGE_OF_SUPPLIER' }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'NOT_A_CHANGE_OF_SUPPLIER',
    });
    const raised = await raise(SUPA, { mpanCore, reason: 'CHANGE_OF_SUPPLIER', dueBy: inDays(5) });
    expect(raised.errors).toBeUndefined();
    const id = raised.data.raiseReadRequest.id;
    // The gaining supplier sees its own request before its start, though the metering point's requests are not its yet.
    const own = await journey.stack.query(`query($id: ID!) { readRequest(id: $id) { id reason status } }`, { id }, SUPA);
    expect(own.body.data.readRequest).toEqual({ id, reason: 'CHANGE_OF_SUPPLIER', status: 'OPEN' });

    journey.stack.clock.set(`${supplyStart}T10:00:00Z`);
    const answered = await journey.stack.query(
      `mutation($input: SubmitMeterReadingInput!) { submitMeterReading(input: $input) { id status } }`,
      {
        input: {
          readRequestId: id,
          meterId: meterOf(mpanCore),
          registerId: '1',
          value: '2345.6',
          readAt: `${supplyStart}T09:00:00Z`,
          method: 'PHYSICAL',
          siteVisitCheckCode: 'SV42',
        },
      },
      MRSA,
    );
    expect(answered.body).toEqual({ data: { submitMeterReading: { id, status: 'FULFILLED' } } });
    const readings = await journey.stack.query(
      `query($m: MpanCore!) { meteringPoint(mpanCore: $m) { readings(last: 1) { value event method readAt } } }`,
      { m: mpanCore },
      SUPA,
    );
    expect(readings.body.data.meteringPoint.readings).toEqual([
      { value: '2345.6', event: 'READING_COS', method: 'PHYSICAL', readAt: `${supplyStart}T09:00:00.000Z` },
    ]);
    expect((await feedOf(id)).map((m: { type: string; recipient: string }) => [m.type, m.recipient])).toEqual([
      ['READ_REQUEST_RAISED', 'MRSA'],
      ['READ_REQUEST_FULFILLED', 'SUPA'],
    ]);
  });
});

describe('one open read request per meter, held by the database too (migration 020)', () => {
  // MPAN 13: Smart, SUPB, a smart meter with no seeded request.
  const mpanCore = mpan(13);
  const openOf = async () =>
    (
      await journey.sql.query(`SELECT id FROM metering_data.read_request WHERE mpan_core = $1 AND status = 'OPEN' ORDER BY id`, [mpanCore])
    ).rows.map((row: { id: string }) => row.id);

  it('refuses a second open request for a meter in the database itself', async () => {
    await expect(
      journey.sql.query(
        `INSERT INTO metering_data.read_request (id, mpan_core, meter_id, reason, status, meter_reading_service_id, requested_at, due_by)
         VALUES ('RR-DB-1', $1, $2, 'SMART_COMMS_FAULT', 'OPEN', 'MRSA', $3, $4), ('RR-DB-2', $1, $2, 'SMART_COMMS_FAULT', 'OPEN', 'MRSA', $3, $4)`,
        [mpanCore, meterOf(mpanCore), inDays(0), inDays(7)],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'read_request_one_open_per_meter' });
    expect(await openOf()).toEqual([]);
  });

  it('answers a request that raced past the check with the same CONFLICT READ_REQUEST_ALREADY_OPEN, and writes nothing', async () => {
    const outbox = Number((await journey.sql.query('SELECT count(*) FROM metering_data.outbox_message')).rows[0].count);
    // Another writer's open request for the meter, not yet committed: the check cannot see it, the index can.
    const racer = new Client({ connectionString: journey.stack.database.url });
    await racer.connect();
    try {
      await racer.query('BEGIN');
      await racer.query(
        `INSERT INTO metering_data.read_request (id, mpan_core, meter_id, reason, status, meter_reading_service_id, requested_at, due_by)
         VALUES ('RR-RACER', $1, $2, 'SMART_COMMS_FAULT', 'OPEN', 'MRSA', $3, $4)`,
        [mpanCore, meterOf(mpanCore), inDays(0), inDays(7)],
      );
      const raising = raise(SUPB, { mpanCore });
      // The raise's INSERT now waits for the racer's transaction (a lock not granted on it).
      const deadline = Date.now() + 10_000;
      const waiting = async () =>
        Number(
          (
            await journey.sql.query(
              `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE NOT l.granted AND l.locktype = 'transactionid' AND a.datname = current_database()`,
            )
          ).rows[0].count,
        );
      while ((await waiting()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await waiting()).toBe(1);
      await racer.query('COMMIT');
      expect(refusal(await raising)).toEqual({ code: 'CONFLICT', reason: 'READ_REQUEST_ALREADY_OPEN' });
    } finally {
      await racer.end();
    }
    expect(await openOf()).toEqual(['RR-RACER']);
    expect(Number((await journey.sql.query('SELECT count(*) FROM metering_data.outbox_message')).rows[0].count)).toBe(outbox);
  });
});
