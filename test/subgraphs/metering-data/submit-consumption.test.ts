import { Client } from 'pg';
import { buildDemoDataset } from '../../../dev/build-dataset';
import { startTestStack, TestStack } from '../../support/test-stack';
import type { Actor } from '../../support/test-keys';
import { TEST_NOW } from '../../support/test-clock';
import { expectHidden } from '../../support/hidden-field';

// submitConsumption through the real gateway: data services submit interval data, checked per interval against
// registration standing data and their appointments (PRI-019), stored in one transaction.

const dataset = buildDemoDataset(TEST_NOW);
const mpanAt = (index: number) => dataset.meteringPoints[index].mpanCore;

/** Smart Data Service of the Smart MPANs (index % 10 < 6): since 2024-01-01, or 2025-06-01 where index % 5 == 0. */
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
/** Smart Data Service of the Smart MPANs with index % 5 == 0 until 2025-06-01. */
const SDSB: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSB' };
/** Advanced Data Service of the Advanced MPANs (index % 10 in 6..8). */
const ADSA: Actor = { role: 'ADVANCED_DATA_SERVICE', participant: 'ADSA' };
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
/** A valid MPAN core that is not registered. */
const UNREGISTERED = '1000000000012';

const SUBMIT = `mutation($input: SubmitConsumptionInput!) {
  submitConsumption(input: $input) {
    accepted unchanged newVersions deEnergisedFlagged rejected rejections { index mpanCore utcStart reason message }
  }
}`;

const CONSUMPTION = `query($mpan: MpanCore!, $from: DateTime!, $to: DateTime!, $first: Int) {
  meteringPoint(mpanCore: $mpan) {
    consumption(from: $from, to: $to, first: $first) {
      edges { node { utcStart value quality estimationMethod version receivedAt deEnergisedFlag
        versions { version value quality estimationMethod } } }
      pageInfo { hasNextPage }
    }
  }
}`;

interface IntervalInput {
  mpanCore: string;
  quantity: string;
  utcStart: string;
  periodMinutes: number;
  value: string;
  quality: string;
  estimationMethod?: string | null;
}

/** `count` consecutive 30-minute actual intervals of active import from `fromIso`, values from `value(i)`. */
function halfHours(
  mpanCore: string,
  fromIso: string,
  count: number,
  value: (i: number) => string = (i) => (0.1 + (i % 50) / 1000).toFixed(3),
): IntervalInput[] {
  const start = Date.parse(fromIso);
  return Array.from({ length: count }, (_, i) => ({
    mpanCore,
    quantity: 'ACTIVE_IMPORT',
    utcStart: new Date(start + i * 1_800_000).toISOString(),
    periodMinutes: 30,
    value: value(i),
    quality: 'ACTUAL',
  }));
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const submit = async (intervals: IntervalInput[], as: Actor = SDSA) => {
  const { status, body } = await stack.query(SUBMIT, { input: { intervals } }, as);
  return { status, body, result: body.data?.submitConsumption };
};

const readConsumption = async (mpan: string, from: string, to: string, as: Actor = SDSA) => {
  const { body } = await stack.query(CONSUMPTION, { mpan, from, to, first: 2000 }, as);
  expect(body.errors).toBeUndefined();
  return body.data.meteringPoint.consumption.edges.map((edge: { node: unknown }) => edge.node) as {
    utcStart: string;
    value: string;
    quality: string;
    estimationMethod: string | null;
    version: number;
    receivedAt: string;
    deEnergisedFlag: boolean;
    versions: { version: number; value: string; quality: string; estimationMethod: string | null }[];
  }[];
};

/** Runs SQL on this test's own database (set-up that no API offers, such as forcing a failure). */
async function withDatabase<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: stack.database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('submitConsumption', () => {
  it('PRI-019: accepts 10,000 intervals (5 MPANs x 2,000 periods) in one call and one transaction (its speed is measured by npm run bench, not here)', async () => {
    const mpans = [0, 1, 2, 4, 5].map(mpanAt);
    const intervals = mpans.flatMap((mpan) => halfHours(mpan, '2026-08-01T00:00:00Z', 2000));
    const { status, result } = await submit(intervals);
    expect(status).toBe(200);
    expect(result).toEqual({ accepted: 10_000, unchanged: 0, newVersions: 0, deEnergisedFlagged: 0, rejected: 0, rejections: [] });
    // Every interval is stored as the current version 1.
    const stored = await readConsumption(mpans[4], '2026-08-01T00:00:00Z', '2026-09-12T00:00:00Z');
    expect(stored).toHaveLength(2000);
    expect(stored[0]).toMatchObject({ utcStart: '2026-08-01T00:00:00.000Z', value: '0.1', quality: 'ACTUAL', version: 1 });
    expect(stored[1999]).toMatchObject({
      utcStart: new Date(Date.parse('2026-08-01T00:00:00Z') + 1999 * 1_800_000).toISOString(),
      version: 1,
    });
  });

  it('PRI-019: reports one rejected interval with its index, MPAN, start, reason and message while the other 47 are stored', async () => {
    const mpan = mpanAt(1);
    const intervals = halfHours(mpan, '2026-07-01T00:00:00Z', 48);
    intervals[17] = { ...intervals[17], utcStart: '2026-07-01T08:40:00.000Z' };
    const { result } = await submit(intervals);
    expect(result).toEqual({
      accepted: 47,
      unchanged: 0,
      newVersions: 0,
      deEnergisedFlagged: 0,
      rejected: 1,
      rejections: [
        {
          index: 17,
          mpanCore: mpan,
          utcStart: '2026-07-01T08:40:00.000Z',
          reason: 'UNALIGNED_PERIOD_START',
          message:
            'utcStart 2026-07-01T08:40:00.000Z is not on a 30-minute period boundary; periods start every 30 minutes from midnight UTC, such as 2026-07-01T08:30:00.000Z or 2026-07-01T09:00:00.000Z (PRI-015)',
        },
      ],
    });
    const stored = await readConsumption(mpan, '2026-07-01T00:00:00Z', '2026-07-02T00:00:00Z');
    expect(stored).toHaveLength(47);
    expect(stored.map((s) => s.utcStart)).not.toContain('2026-07-01T08:30:00.000Z');
  });

  it('resubmitting identical data changes nothing, even written differently ("0.100" for "0.1")', async () => {
    const mpan = mpanAt(2);
    const intervals = halfHours(mpan, '2026-07-03T00:00:00Z', 48);
    expect((await submit(intervals)).result).toMatchObject({ accepted: 48, unchanged: 0, newVersions: 0, rejected: 0 });
    const before = await readConsumption(mpan, '2026-07-03T00:00:00Z', '2026-07-04T00:00:00Z');

    const rewritten = intervals.map((i) => ({ ...i, value: `${i.value}00`, utcStart: i.utcStart.replace('.000Z', '+00:00') }));
    expect((await submit(rewritten)).result).toEqual({
      accepted: 48,
      unchanged: 48,
      newVersions: 0,
      deEnergisedFlagged: 0,
      rejected: 0,
      rejections: [],
    });
    expect(await readConsumption(mpan, '2026-07-03T00:00:00Z', '2026-07-04T00:00:00Z')).toEqual(before);
  });

  it('PRI-005: different data becomes version 2 with its derivation, and version 1 stays readable through versions', async () => {
    const mpan = mpanAt(2);
    const intervals = halfHours(mpan, '2026-07-05T00:00:00Z', 4, () => '0.5');
    await submit(intervals);
    const corrected = [{ ...intervals[1], value: '0.75', quality: 'ESTIMATED', estimationMethod: 'PROFILE_SHAPE' }];
    expect((await submit(corrected)).result).toEqual({
      accepted: 1,
      unchanged: 0,
      newVersions: 1,
      deEnergisedFlagged: 0,
      rejected: 0,
      rejections: [],
    });

    const stored = await readConsumption(mpan, '2026-07-05T00:00:00Z', '2026-07-05T02:00:00Z');
    expect(stored.map((s) => [s.utcStart, s.version, s.value])).toEqual([
      ['2026-07-05T00:00:00.000Z', 1, '0.5'],
      ['2026-07-05T00:30:00.000Z', 2, '0.75'],
      ['2026-07-05T01:00:00.000Z', 1, '0.5'],
      ['2026-07-05T01:30:00.000Z', 1, '0.5'],
    ]);
    expect(stored[1].versions).toEqual([
      { version: 2, value: '0.75', quality: 'ESTIMATED', estimationMethod: 'PROFILE_SHAPE' },
      { version: 1, value: '0.5', quality: 'ACTUAL', estimationMethod: null },
    ]);
  });

  it('one call mixing unchanged, corrected and new intervals stores each as it should, and a third version supersedes the second', async () => {
    const mpan = mpanAt(2);
    const first = halfHours(mpan, '2026-06-20T00:00:00Z', 4, () => '0.5');
    await submit(first);
    // 0 unchanged, 1 and 2 corrected, 3 unchanged, 4 and 5 new.
    const mixed = [
      ...first.map((i, n) => (n === 1 || n === 2 ? { ...i, value: '0.6' } : i)),
      ...halfHours(mpan, '2026-06-20T02:00:00Z', 2, () => '0.7'),
    ];
    expect((await submit(mixed)).result).toEqual({
      accepted: 6,
      unchanged: 2,
      newVersions: 2,
      deEnergisedFlagged: 0,
      rejected: 0,
      rejections: [],
    });
    expect((await submit([{ ...first[1], value: '0.65' }])).result).toMatchObject({ accepted: 1, unchanged: 0, newVersions: 1 });

    const stored = await readConsumption(mpan, '2026-06-20T00:00:00Z', '2026-06-20T03:00:00Z');
    expect(stored.map((s) => [s.utcStart.slice(11, 16), s.version, s.value, s.versions.map((v) => v.value)])).toEqual([
      ['00:00', 1, '0.5', ['0.5']],
      ['00:30', 3, '0.65', ['0.65', '0.6', '0.5']],
      ['01:00', 2, '0.6', ['0.6', '0.5']],
      ['01:30', 1, '0.5', ['0.5']],
      ['02:00', 1, '0.7', ['0.7']],
      ['02:30', 1, '0.7', ['0.7']],
    ]);
  });

  it('PRI-005/PRI-008: an estimate must name its estimation method, which is stored with it; only estimates carry one', async () => {
    const mpan = mpanAt(2);
    const [a, b, c] = halfHours(mpan, '2026-07-06T00:00:00Z', 3);
    const { result } = await submit([
      { ...a, quality: 'ESTIMATED' },
      { ...b, quality: 'ACTUAL', estimationMethod: 'PROFILE_SHAPE' },
      { ...c, quality: 'ESTIMATED', estimationMethod: 'PRIOR_DAY' },
    ]);
    expect(result.rejections.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [0, 'ESTIMATION_METHOD_REQUIRED'],
      [1, 'ESTIMATION_METHOD_NOT_ALLOWED'],
    ]);
    expect(result.rejections[0].message).toBe(
      'an ESTIMATED value needs its estimationMethod: how the data was derived is stored with it (PRI-005, PRI-008)',
    );
    const stored = await readConsumption(mpan, '2026-07-06T00:00:00Z', '2026-07-06T02:00:00Z');
    expect(stored.map((s) => [s.utcStart, s.quality, s.estimationMethod])).toEqual([
      ['2026-07-06T01:00:00.000Z', 'ESTIMATED', 'PRIOR_DAY'],
    ]);
  });

  it('PRI-013: non-zero data for a de-energised MPAN is accepted and flagged, not rejected; zero data is not flagged', async () => {
    // MPAN 3 is de-energised from 2026-02-01.
    const mpan = mpanAt(3);
    const [nonZero, zero] = halfHours(mpan, '2026-07-02T00:00:00Z', 2);
    const { result } = await submit([
      { ...nonZero, value: '0.42' },
      { ...zero, value: '0.000' },
    ]);
    expect(result).toEqual({ accepted: 2, unchanged: 0, newVersions: 0, deEnergisedFlagged: 1, rejected: 0, rejections: [] });
    const stored = await readConsumption(mpan, '2026-07-02T00:00:00Z', '2026-07-02T01:00:00Z');
    expect(stored.map((s) => [s.value, s.deEnergisedFlag])).toEqual([
      ['0.42', true],
      ['0', false],
    ]);
  });

  it('PRI-015: accepts 15- and 30-minute periods aligned to their length; rejects other lengths and unaligned starts', async () => {
    const mpan = mpanAt(12);
    const base = { mpanCore: mpan, quantity: 'ACTIVE_IMPORT', value: '0.1', quality: 'ACTUAL' };
    const { result } = await submit([
      { ...base, utcStart: '2026-07-07T00:15:00Z', periodMinutes: 15 },
      // Another settlement day: one MPAN's settlement day has one period length (PRI-015).
      { ...base, utcStart: '2026-07-08T01:00:00Z', periodMinutes: 30 },
      { ...base, utcStart: '2026-07-07T02:00:00Z', periodMinutes: 60 },
      { ...base, utcStart: '2026-07-07T03:15:00Z', periodMinutes: 30 },
      { ...base, utcStart: '2026-07-07T04:05:00Z', periodMinutes: 15 },
    ]);
    expect(result.accepted).toBe(2);
    expect(result.rejections.map((r: { index: number; reason: string; message: string }) => [r.index, r.reason])).toEqual([
      [2, 'INVALID_PERIOD_LENGTH'],
      [3, 'UNALIGNED_PERIOD_START'],
      [4, 'UNALIGNED_PERIOD_START'],
    ]);
    expect(result.rejections[0].message).toBe('periodMinutes 60 is not a settlement period length; 15 or 30 are accepted (PRI-015)');
  });

  it('rejects a period that has not ended yet on the business clock (IN_THE_FUTURE), here on the autumn clock-change night', async () => {
    const mpan = mpanAt(12);
    // 01:15 UTC on 2026-10-25: the period 01:00-01:30 is running, and so is a quarter hour 01:15-01:30 (PRI-015).
    stack.clock.set('2026-10-25T01:15:00Z');
    try {
      const running = halfHours(mpan, '2026-10-25T01:00:00Z', 1)[0];
      const quarter = { ...halfHours(mpan, '2026-10-25T01:15:00Z', 1)[0], periodMinutes: 15 };
      const tomorrow = halfHours(mpan, '2026-10-26T01:00:00Z', 1)[0];
      const { result } = await submit([running, quarter, tomorrow]);
      expect(result).toMatchObject({ accepted: 0, rejected: 3 });
      expect(result.rejections.map((r: { reason: string }) => r.reason)).toEqual(['IN_THE_FUTURE', 'IN_THE_FUTURE', 'IN_THE_FUTURE']);
      expect(result.rejections[0].message).toBe(
        'the period 2026-10-25T01:00:00.000Z to 2026-10-25T01:30:00.000Z has not ended yet (now 2026-10-25T01:15:00.000Z); a period is accepted once it has ended',
      );
    } finally {
      stack.clock.set(TEST_NOW);
    }
  });

  it("PRI-019: rejects intervals on days the caller is not appointed (before its appointment, another segment's MPAN, an unregistered MPAN) as NOT_APPOINTED", async () => {
    // SDSA is appointed to MPAN 0 from 2025-06-01; SDSB was until then. MPAN 6 is Advanced (ADSA's).
    const mpan0 = mpanAt(0);
    const [before] = halfHours(mpan0, '2025-05-31T23:30:00Z', 1);
    const [after] = halfHours(mpan0, '2025-06-01T00:00:00Z', 1);
    const [advanced] = halfHours(mpanAt(6), '2026-07-01T00:00:00Z', 1);
    const [unregistered] = halfHours(UNREGISTERED, '2026-07-01T00:00:00Z', 1);
    const { result } = await submit([before, after, advanced, unregistered]);
    expect(result.accepted).toBe(1);
    expect(result.rejections.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [0, 'NOT_APPOINTED'],
      [2, 'NOT_APPOINTED'],
      [3, 'NOT_APPOINTED'],
    ]);
    expect(result.rejections[0].message).toBe(
      `SDSA is not the SMART_DATA_SERVICE appointed to ${mpan0} on 2025-05-31 (UTC), or no such MPAN is registered; data is accepted only for the days of an accepted appointment (PRI-019)`,
    );
    // The day before belongs to the data service appointed then.
    expect((await submit([before], SDSB)).result).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it("PRI-019: the market segment in force on the interval's day must fit the caller's role (SEGMENT_MISMATCH)", async () => {
    // Registration records MPAN 11 as Advanced on 2026-06-01 only (set up directly: the test owns its database).
    const mpan = mpanAt(11);
    await withDatabase(async (client) => {
      for (const [effectiveFrom, segment] of [
        ['2026-06-01', 'ADVANCED'],
        ['2026-06-02', 'SMART'],
      ]) {
        await client.query(
          `INSERT INTO registration.standing_data
             SELECT mpan_core, $2::date, gsp_group_id, $3, energisation_status, connection_type, energy_direction, metered, duos_tariff_id
               FROM registration.standing_data WHERE mpan_core = $1 AND effective_from = '2024-01-01'`,
          [mpan, effectiveFrom, segment],
        );
      }
    });
    const [onAdvancedDay] = halfHours(mpan, '2026-06-01T12:00:00Z', 1);
    const [onSmartDay] = halfHours(mpan, '2026-06-02T12:00:00Z', 1);
    const { result } = await submit([onAdvancedDay, onSmartDay]);
    expect(result).toMatchObject({ accepted: 1, rejected: 1 });
    expect(result.rejections[0]).toEqual({
      index: 0,
      mpanCore: mpan,
      utcStart: '2026-06-01T12:00:00.000Z',
      reason: 'SEGMENT_MISMATCH',
      message: `${mpan} is in the ADVANCED segment on 2026-06-01; a SMART_DATA_SERVICE submits data for the SMART segment only (PRI-019)`,
    });
  });

  it('PRI-019: reactive quantities are accepted for the Advanced segment only (QUANTITY_NOT_FOR_SEGMENT)', async () => {
    const [smart] = halfHours(mpanAt(12), '2026-07-08T00:00:00Z', 1);
    const [advanced] = halfHours(mpanAt(6), '2026-07-08T00:00:00Z', 1);
    const smartResult = (await submit([{ ...smart, quantity: 'REACTIVE_IMPORT' }])).result;
    expect(smartResult.rejections.map((r: { reason: string }) => r.reason)).toEqual(['QUANTITY_NOT_FOR_SEGMENT']);
    expect((await submit([{ ...advanced, quantity: 'REACTIVE_IMPORT' }], ADSA)).result).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('rejects a negative value and an interval sent twice in one call', async () => {
    const [a, b] = halfHours(mpanAt(12), '2026-07-09T00:00:00Z', 2);
    const { result } = await submit([{ ...a, value: '-0.5' }, b, { ...b, value: '0.9' }]);
    expect(result.rejections.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [0, 'NEGATIVE_VALUE'],
      [2, 'DUPLICATE_IN_SUBMISSION'],
    ]);
    expect(result.rejections[1].message).toBe(
      `${b.mpanCore} ACTIVE_IMPORT at 2026-07-09T00:30:00.000Z is already at index 1 of this submission; send each interval once`,
    );
  });

  it('refuses the whole call, writing nothing, when a value is not an exact decimal', async () => {
    const intervals = halfHours(mpanAt(12), '2026-07-10T00:00:00Z', 3);
    const { body } = await stack.query(
      SUBMIT,
      { input: { intervals: [intervals[0], { ...intervals[1], value: 0.1 }, intervals[2]] } },
      SDSA,
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_DECIMAL' });
    expect(await readConsumption(mpanAt(12), '2026-07-10T00:00:00Z', '2026-07-11T00:00:00Z')).toEqual([]);
  });

  it('writes nothing when the database fails mid-way: superseded versions stay current, new intervals are not stored', async () => {
    const mpan = mpanAt(13);
    const day = halfHours(mpan, '2026-07-11T00:00:00Z', 48, () => '0.2');
    expect((await submit(day)).result).toMatchObject({ accepted: 48, rejected: 0 });
    // The next submission supersedes all 48 and inserts 48 in one statement; the insert fails on its last row.
    await withDatabase((client) =>
      client.query(`
        CREATE FUNCTION metering_data.test_fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'forced failure for the test'; END $$;
        CREATE TRIGGER test_fail_insert BEFORE INSERT ON metering_data.consumption_current
          FOR EACH ROW WHEN (NEW.value = 999.999) EXECUTE FUNCTION metering_data.test_fail_insert();`),
    );
    try {
      const corrected = day.map((i) => ({ ...i, value: '0.3' }));
      const fresh = halfHours(mpan, '2026-07-12T00:00:00Z', 48, (i) => (i === 47 ? '999.999' : '0.3'));
      const { body } = await submit([...corrected, ...fresh]);
      expect(body.data).toBeNull();
      expect(body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(body.errors[0].message).not.toMatch(/forced failure|SQL|trigger/);
    } finally {
      await withDatabase((client) =>
        client.query('DROP TRIGGER test_fail_insert ON metering_data.consumption_current; DROP FUNCTION metering_data.test_fail_insert()'),
      );
    }
    const stored = await readConsumption(mpan, '2026-07-11T00:00:00Z', '2026-07-13T00:00:00Z');
    expect(stored).toHaveLength(48);
    expect(stored.every((s) => s.version === 1 && s.value === '0.2' && s.versions.length === 1)).toBe(true);
  });

  it('two identical submissions at once store one version: the other finds it unchanged', async () => {
    const intervals = halfHours(mpanAt(13), '2026-07-14T00:00:00Z', 48);
    const [first, second] = await Promise.all([submit(intervals), submit(intervals)]);
    expect([first.result.unchanged, second.result.unchanged].sort()).toEqual([0, 48]);
    const stored = await readConsumption(mpanAt(13), '2026-07-14T00:00:00Z', '2026-07-15T00:00:00Z');
    expect(stored).toHaveLength(48);
    expect(stored.every((s) => s.version === 1)).toBe(true);
  });

  it('is refused to a supplier: only data services submit consumption', async () => {
    const { status, body } = await submit(halfHours(mpanAt(0), '2026-07-01T00:00:00Z', 1), SUPA);
    expectHidden({ status, body }, 'Mutation.submitConsumption');
  });
});
