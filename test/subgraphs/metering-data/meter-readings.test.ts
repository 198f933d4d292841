import { buildDemoDataset } from '../../../dev/build-dataset';
import { startTestStack, TestStack } from '../../support/test-stack';
import type { Actor } from '../../support/test-keys';
import { TEST_NOW } from '../../support/test-clock';
import { expectHidden } from '../../support/hidden-field';

// Reads through the real gateway: a meter reading service answers its open initial read requests and never reads
// readings back (PRI-006); data services submit routine readings.

const dataset = buildDemoDataset(TEST_NOW);
const mpanAt = (index: number) => dataset.meteringPoints[index].mpanCore;
const meterOf = (index: number) => `M${mpanAt(index).slice(2, 12)}`;
const supplierOf = (index: number): Actor => ({ role: 'SUPPLIER', participant: ['SUPA', 'SUPB', 'SUPC'][index % 3] });

/** Has an OPEN read request `RR-<mpan>-2` (raised 2026-11-20T09:00Z) for the MPANs with index % 10 of 4 or 5. */
const MRSA: Actor = { role: 'METER_READING_SERVICE', participant: 'MRSA' };
const MRSB: Actor = { role: 'METER_READING_SERVICE', participant: 'MRSB' };
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
const UDSA: Actor = { role: 'UNMETERED_DATA_SERVICE', participant: 'UDSA' };

const ANSWER = `mutation($input: SubmitMeterReadingInput!) {
  submitMeterReading(input: $input) { id mpanCore status fulfilledAt meterReadingService { id } }
}`;

const ROUTINE = `mutation($input: SubmitMeterReadingsInput!) {
  submitMeterReadings(input: $input) { accepted unchanged newVersions rejected rejections { index mpanCore meterId readAt reason message } }
}`;

const HISTORY = `query($mpan: MpanCore!) {
  meteringPoint(mpanCore: $mpan) { readingHistory { meterId registerId readAt value method event siteVisitCheckCode version current submittedBy { id } } }
}`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

/** A valid answer to the open read request of MPAN `index`. */
const answerFor = (index: number, overrides: Record<string, unknown> = {}) => ({
  readRequestId: `RR-${mpanAt(index)}-2`,
  meterId: meterOf(index),
  registerId: '1',
  value: '10812.5',
  readAt: '2026-11-21T10:15:00Z',
  method: 'PHYSICAL',
  siteVisitCheckCode: 'SV07',
  ...overrides,
});

const answer = (input: Record<string, unknown>, as: Actor = MRSA) => stack.query(ANSWER, { input }, as);
const history = async (index: number, as: Actor = supplierOf(index)) => {
  const { body } = await stack.query(HISTORY, { mpan: mpanAt(index) }, as);
  expect(body.errors).toBeUndefined();
  return body.data.meteringPoint.readingHistory;
};
const readRequestStatus = async (index: number) =>
  (await stack.query('query($id: ID!) { readRequest(id: $id) { status fulfilledAt } }', { id: `RR-${mpanAt(index)}-2` }, supplierOf(index)))
    .body.data.readRequest;

describe('submitMeterReading (meter reading service)', () => {
  it('PRI-006: the meter reading service answers its open read request: the reading is stored and the closed request returned', async () => {
    // MPAN 4 has a traditional meter.
    const { body } = await answer(answerFor(4));
    expect(body.errors).toBeUndefined();
    expect(body.data.submitMeterReading).toEqual({
      id: `RR-${mpanAt(4)}-2`,
      mpanCore: mpanAt(4),
      status: 'FULFILLED',
      fulfilledAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      meterReadingService: { id: 'MRSA' },
    });
    expect(await readRequestStatus(4)).toEqual({ status: 'FULFILLED', fulfilledAt: body.data.submitMeterReading.fulfilledAt });
    expect((await history(4))[0]).toEqual({
      meterId: meterOf(4),
      registerId: '1',
      readAt: '2026-11-21T10:15:00.000Z',
      value: '10812.5',
      method: 'PHYSICAL',
      event: 'READING_ONSITE',
      siteVisitCheckCode: 'SV07',
      version: 1,
      current: true,
      submittedBy: { id: 'MRSA' },
    });
  });

  it('PRI-006: the meter reading service can then not read the reading back, nor see the closed request or the metering point', async () => {
    const readings = await stack.query(
      `query($mpan: MpanCore!) { meteringPoint(mpanCore: $mpan) { readings { value } } }`,
      { mpan: mpanAt(4) },
      MRSA,
    );
    expectHidden(readings, 'MeteringPoint.readings');
    const request = await stack.query('query($id: ID!) { readRequest(id: $id) { id status } }', { id: `RR-${mpanAt(4)}-2` }, MRSA);
    expect(request.body).toEqual({ data: { readRequest: null } });
    const meteringPoint = await stack.query(
      'query($mpan: MpanCore!) { meteringPoint(mpanCore: $mpan) { mpanCore } }',
      { mpan: mpanAt(4) },
      MRSA,
    );
    expect(meteringPoint.body).toEqual({ data: { meteringPoint: null } });
  });

  it("PRI-006: a request that is closed, or not the caller's, is not found", async () => {
    const again = await answer(answerFor(4));
    expect(again.body.errors[0]).toMatchObject({
      message: `read request "RR-${mpanAt(4)}-2" is not an open read request of MRSA; answer one listed by readRequests(status: OPEN)`,
      extensions: { code: 'NOT_FOUND', reason: 'READ_REQUEST_NOT_FOUND' },
    });
    const other = await answer(answerFor(5), MRSB);
    expect(other.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'READ_REQUEST_NOT_FOUND' });
    expect(await readRequestStatus(5)).toEqual({ status: 'OPEN', fulfilledAt: null });
  });

  it('PRI-006: refuses an answer that is not an initial read of the requested meter, and leaves the request open', async () => {
    // MPAN 5 is a smart meter with a communications fault; its register has 6 digits.
    const cases: [Record<string, unknown>, string][] = [
      [{ meterId: meterOf(4) }, 'METER_MISMATCH'],
      [{ method: 'REMOTE' }, 'INVALID_READING_METHOD'],
      [{ siteVisitCheckCode: null }, 'SITE_VISIT_CHECK_CODE_REQUIRED'],
      [{ readAt: '2026-11-19T09:00:00Z' }, 'READING_BEFORE_REQUEST'],
      [{ readAt: new Date(TEST_NOW.getTime() + 3_600_000).toISOString() }, 'IN_THE_FUTURE'],
      [{ value: '1234567' }, 'INVALID_READING_VALUE'],
      [{ value: '123.4567' }, 'INVALID_READING_VALUE'],
    ];
    for (const [overrides, reason] of cases) {
      const { body } = await answer(answerFor(5, overrides));
      expect({ overrides, extensions: body.errors?.[0]?.extensions }).toMatchObject({
        overrides,
        extensions: { code: 'BAD_USER_INPUT', reason },
      });
    }
    expect(await readRequestStatus(5)).toEqual({ status: 'OPEN', fulfilledAt: null });
    expect((await history(5)).filter((r: { submittedBy: { id: string } }) => r.submittedBy.id === 'MRSA')).toEqual([]);
  });

  it('PRI-006: two answers to the same request at once: exactly one closes it, the other is not found', async () => {
    const results = await Promise.all([answer(answerFor(14)), answer(answerFor(14, { value: '10900' }))]);
    const codes = results.map((r) => r.body.errors?.[0]?.extensions?.code ?? r.body.data.submitMeterReading.status).sort();
    expect(codes).toEqual(['FULFILLED', 'NOT_FOUND']);
    expect(
      (await history(14)).filter(
        (r: { submittedBy: { id: string }; readAt: string }) => r.submittedBy.id === 'MRSA' && r.readAt.startsWith('2026-11-21'),
      ),
    ).toHaveLength(1);
  });

  it('PRI-006: only a meter reading service answers read requests', async () => {
    const { status, body } = await answer(answerFor(15), SDSA);
    expectHidden({ status, body }, 'Mutation.submitMeterReading');
  });
});

describe('submitMeterReadings (routine readings from a data service)', () => {
  const routine = (index: number, overrides: Record<string, unknown> = {}) => ({
    mpanCore: mpanAt(index),
    meterId: meterOf(index),
    registerId: '1',
    value: '11000.25',
    readAt: '2026-11-01T00:00:00Z',
    method: 'REMOTE',
    ...overrides,
  });
  const submit = async (readings: Record<string, unknown>[], as: Actor = SDSA) =>
    (await stack.query(ROUTINE, { input: { readings } }, as)).body;

  it('stores routine readings (event ROUTINE) for metering points in scope; resubmitting the same reading changes nothing', async () => {
    expect((await submit([routine(0), routine(1)])).data.submitMeterReadings).toEqual({
      accepted: 2,
      unchanged: 0,
      newVersions: 0,
      rejected: 0,
      rejections: [],
    });
    expect((await submit([routine(0, { value: '11000.250' })])).data.submitMeterReadings).toEqual({
      accepted: 1,
      unchanged: 1,
      newVersions: 0,
      rejected: 0,
      rejections: [],
    });
    expect((await history(0))[0]).toMatchObject({
      readAt: '2026-11-01T00:00:00.000Z',
      value: '11000.25',
      event: 'ROUTINE',
      method: 'REMOTE',
      version: 1,
      current: true,
      submittedBy: { id: 'SDSA' },
    });
  });

  it('a corrected value becomes version 2; version 1 stays in the reading history', async () => {
    expect((await submit([routine(0, { value: '11001' })])).data.submitMeterReadings).toMatchObject({
      accepted: 1,
      unchanged: 0,
      newVersions: 1,
    });
    const versions = (await history(0)).filter((r: { readAt: string }) => r.readAt === '2026-11-01T00:00:00.000Z');
    expect(versions.map((r: { version: number; value: string; current: boolean }) => [r.version, r.value, r.current])).toEqual([
      [2, '11001', true],
      [1, '11000.25', false],
    ]);
  });

  it('rejects readings outside the appointment, of unknown meters, in the future, not fitting the register, or sent twice', async () => {
    const body = await submit([
      routine(6), // Advanced: ADSA's
      routine(1, { meterId: 'M0000000000' }),
      routine(1, { readAt: new Date(TEST_NOW.getTime() + 3_600_000).toISOString() }),
      routine(1, { value: '1000000' }),
      routine(2),
      routine(2, { value: '11000.5' }),
    ]);
    expect(body.data.submitMeterReadings.rejections.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [0, 'NOT_APPOINTED'],
      [1, 'UNKNOWN_METER'],
      [2, 'IN_THE_FUTURE'],
      [3, 'INVALID_READING_VALUE'],
      [5, 'DUPLICATE_IN_SUBMISSION'],
    ]);
    expect(body.data.submitMeterReadings).toMatchObject({ accepted: 1, rejected: 5 });
    expect(body.data.submitMeterReadings.rejections[3].message).toBe(
      'value 1000000 is not a register reading of this 6-digit register; a reading is zero or positive with at most 3 decimals and at most 6 whole digits',
    );
  });

  it('is refused to the unmetered data service: an unmetered supply has no meter', async () => {
    const { status, body } = await stack.query(ROUTINE, { input: { readings: [routine(9)] } }, UDSA);
    expectHidden({ status, body }, 'Mutation.submitMeterReadings');
  });
});
