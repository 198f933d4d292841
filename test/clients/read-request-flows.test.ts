import { Client } from 'pg';
import { buildDemoDataset } from '../../dev/build-dataset';
import { startTestStack, TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';
import { DAY_MS, TEST_NOW } from '../support/test-clock';

// Journeys of the read-request process through the real gateway (PRI-006: a meter reading service takes an initial
// read only): raised by the supplier or the smart data service, cancelled by whoever raised it, the meter reading
// service's work list, and the change-of-supplier read. Each step's feed message is checked in the metering-data
// outbox, written in the same transaction (PRI-021, PRI-025). Demo MPAN index i: supplier ['SUPA','SUPB','SUPC'][i % 3];
// Smart when i % 10 < 6 (a traditional meter when i % 10 === 4, which has an open seeded request), SDSA appointed.

const dataset = buildDemoDataset(TEST_NOW);
const mpan = (index: number) => dataset.meteringPoints[index].mpanCore;
const meterOf = (mpanCore: string) => `M${mpanCore.slice(2, 12)}`;

const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
const SUPC: Actor = { role: 'SUPPLIER', participant: 'SUPC' };
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
const MRSA: Actor = { role: 'METER_READING_SERVICE', participant: 'MRSA' };
const RS: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' };

const inDays = (days: number) => new Date(TEST_NOW.getTime() + days * DAY_MS).toISOString();
const utcDay = (offset = 0) => inDays(offset).slice(0, 10);

const REQUEST_FIELDS = 'id mpanCore meterId reason status meterReadingService { id } raisedBy { id } dueBy cancelledAt cancellationReason';
const RAISE = `mutation($input: RaiseReadRequestInput!) { raiseReadRequest(input: $input) { ${REQUEST_FIELDS} } }`;
const CANCEL = `mutation($input: CancelReadRequestInput!) { cancelReadRequest(input: $input) { ${REQUEST_FIELDS} } }`;
const WORK_LIST = `{ readWorkList { id mpanCore meterId reason dueBy } }`;

let stack: TestStack;
let sql: Client;

beforeAll(async () => {
  stack = await startTestStack();
  sql = new Client({ connectionString: stack.database.url });
  await sql.connect();
});

afterEach(() => stack.clock.set(TEST_NOW));

afterAll(async () => {
  await sql?.end();
  await stack?.close();
});

interface RaiseInput {
  mpanCore: string;
  meterId?: string;
  reason?: string;
  meterReadingService?: string;
  dueBy?: string;
}

const raise = async (as: Actor, input: RaiseInput) =>
  (
    await stack.query(
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
  (await stack.query(CANCEL, { input: { readRequestId, reason } }, as)).body;

function refusal(body: any): { code: string; reason: string } {
  expect(body.errors).toHaveLength(1);
  return { code: body.errors[0].extensions.code, reason: body.errors[0].extensions.reason };
}

async function feedOf(readRequestId: string) {
  const { rows } = await sql.query(
    `SELECT type, recipient_participant AS recipient, principle, payload->>'readRequestId' AS "readRequestId"
       FROM metering_data.outbox_message WHERE payload->>'readRequestId' = $1 ORDER BY position`,
    [readRequestId],
  );
  return rows;
}

const workList = async () => (await stack.query(WORK_LIST, undefined, MRSA)).body.data.readWorkList as { id: string }[];

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
    const visit = await stack.query(`query($m: MpanCore!) { meteringPoint(mpanCore: $m) { meters { meterId } } }`, { m: mpanCore }, MRSA);
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
    const gone = await stack.query(`query($m: MpanCore!) { meteringPoint(mpanCore: $m) { mpanCore } }`, { m: mpanCore }, MRSA);
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

    stack.clock.set(inDays(1));
    const answered = await stack.query(
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
    const before = Number((await sql.query('SELECT count(*) FROM metering_data.read_request')).rows[0].count);
    const outbox = Number((await sql.query('SELECT count(*) FROM metering_data.outbox_message')).rows[0].count);
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
    expect(Number((await sql.query('SELECT count(*) FROM metering_data.read_request')).rows[0].count)).toBe(before);
    expect(Number((await sql.query('SELECT count(*) FROM metering_data.outbox_message')).rows[0].count)).toBe(outbox);
  });
});

describe('the change-of-supplier read (READING_COS)', () => {
  it('the gaining supplier raises it before its supply start; the reading taken on the day is stored as READING_COS and it reads it', async () => {
    // MPAN 32: Smart, SUPC; SUPA gains it in three days.
    const mpanCore = mpan(32);
    const supplyStart = utcDay(3);
    const registered = await stack.query(
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
    const own = await stack.query(`query($id: ID!) { readRequest(id: $id) { id reason status } }`, { id }, SUPA);
    expect(own.body.data.readRequest).toEqual({ id, reason: 'CHANGE_OF_SUPPLIER', status: 'OPEN' });

    stack.clock.set(`${supplyStart}T10:00:00Z`);
    const answered = await stack.query(
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
    const readings = await stack.query(
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
