import { Client } from 'pg';
import { buildDemoDataset } from '../../../dev/build-dataset';
import { startTestStack, TestStack } from '../../support/test-stack';
import type { Actor } from '../../support/test-keys';
import { TEST_NOW } from '../../support/test-clock';
import { expectHidden } from '../../support/hidden-field';

// Query.missingPeriods through the real gateway: a data service checks itself that it has sent everything (PRI-010).

const dataset = buildDemoDataset(TEST_NOW);
const mpanAt = (index: number) => dataset.meteringPoints[index].mpanCore;
/** Demo Smart MPANs (index % 10 < 6): SDSA is appointed to every one of them in 2026. */
const SMART_INDEXES = dataset.meteringPoints.map((_, i) => i).filter((i) => i % 10 < 6);

const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
const SDSB: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSB' };
const ADSA: Actor = { role: 'ADVANCED_DATA_SERVICE', participant: 'ADSA' };
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };

const MISSING = `query($from: DateTime!, $to: DateTime!, $periodMinutes: Int, $mpanCores: [MpanCore!]) {
  missingPeriods(from: $from, to: $to, periodMinutes: $periodMinutes, mpanCores: $mpanCores) {
    mpanCore periodMinutes count ranges { from to periods }
  }
}`;

const SUBMIT = `mutation($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted rejected } }`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const missingPeriods = async (variables: Record<string, unknown>, as: Actor) => stack.query(MISSING, variables, as);

describe('missingPeriods', () => {
  it('PRI-010: lists the periods an Advanced data service has not sent: MPAN 7 misses 08:30-10:00 UTC on 2026-10-25', async () => {
    const { body } = await missingPeriods({ from: '2026-10-25T00:00:00Z', to: '2026-10-26T00:00:00Z' }, ADSA);
    expect(body).toEqual({
      data: {
        missingPeriods: [
          {
            mpanCore: mpanAt(7),
            periodMinutes: 30,
            count: 3,
            ranges: [{ from: '2026-10-25T08:30:00.000Z', to: '2026-10-25T10:00:00.000Z', periods: 3 }],
          },
        ],
      },
    });
  });

  it('PRI-010: reports every appointed MPAN with no data at all in the range, each with all its periods', async () => {
    const { body } = await missingPeriods({ from: '2026-09-20T00:00:00Z', to: '2026-09-21T00:00:00Z' }, SDSA);
    expect(body.errors).toBeUndefined();
    expect(body.data.missingPeriods.map((m: { mpanCore: string }) => m.mpanCore).sort()).toEqual(SMART_INDEXES.map(mpanAt).sort());
    for (const entry of body.data.missingPeriods) {
      expect(entry).toEqual({
        mpanCore: entry.mpanCore,
        periodMinutes: 30,
        count: 48,
        ranges: [{ from: '2026-09-20T00:00:00.000Z', to: '2026-09-21T00:00:00.000Z', periods: 48 }],
      });
    }
  });

  it('PRI-010: finds an appointed MPAN that has never had any data, without being told its MPAN core', async () => {
    const db = new Client({ connectionString: stack.database.url });
    await db.connect();
    try {
      await db.query('DELETE FROM metering_data.consumption_interval WHERE mpan_core = $1', [mpanAt(2)]);
    } finally {
      await db.end();
    }
    const { body } = await missingPeriods({ from: '2026-10-26T00:00:00Z', to: '2026-10-27T00:00:00Z' }, SDSA);
    expect(body.data.missingPeriods).toEqual([
      {
        mpanCore: mpanAt(2),
        periodMinutes: 30,
        count: 48,
        ranges: [{ from: '2026-10-26T00:00:00.000Z', to: '2026-10-27T00:00:00.000Z', periods: 48 }],
      },
    ]);
  });

  it('PRI-010: once the data is sent the periods are no longer missing; named MPANs narrow the check', async () => {
    const mpan = mpanAt(1);
    const intervals = Array.from({ length: 40 }, (_, i) => ({
      mpanCore: mpan,
      quantity: 'ACTIVE_IMPORT',
      utcStart: new Date(Date.parse('2026-09-22T00:00:00Z') + i * 1_800_000).toISOString(),
      periodMinutes: 30,
      value: '0.2',
      quality: 'ACTUAL',
    }));
    // Periods 10 and 11 (05:00-06:00) are left out; 40..47 (20:00-24:00) were never sent.
    const sent = intervals.filter((_, i) => i !== 10 && i !== 11);
    expect((await stack.query(SUBMIT, { input: { intervals: sent } }, SDSA)).body.data.submitConsumption).toEqual({
      accepted: 38,
      rejected: 0,
    });
    const { body } = await missingPeriods({ from: '2026-09-22T00:00:00Z', to: '2026-09-23T00:00:00Z', mpanCores: [mpan] }, SDSA);
    expect(body.data.missingPeriods).toEqual([
      {
        mpanCore: mpan,
        periodMinutes: 30,
        count: 10,
        ranges: [
          { from: '2026-09-22T05:00:00.000Z', to: '2026-09-22T06:00:00.000Z', periods: 2 },
          { from: '2026-09-22T20:00:00.000Z', to: '2026-09-23T00:00:00.000Z', periods: 8 },
        ],
      },
    ]);
  });

  it("PRI-010: checks only the days of the caller's own appointment (SDSB had MPAN 0 until 2025-06-01, SDSA since)", async () => {
    const range = { from: '2025-05-31T00:00:00Z', to: '2025-06-02T00:00:00Z', mpanCores: [mpanAt(0), mpanAt(6)] };
    const bySdsb = (await missingPeriods(range, SDSB)).body.data.missingPeriods;
    const bySdsa = (await missingPeriods(range, SDSA)).body.data.missingPeriods;
    expect(bySdsb).toEqual([
      {
        mpanCore: mpanAt(0),
        periodMinutes: 30,
        count: 48,
        ranges: [{ from: '2025-05-31T00:00:00.000Z', to: '2025-06-01T00:00:00.000Z', periods: 48 }],
      },
    ]);
    expect(bySdsa).toEqual([
      {
        mpanCore: mpanAt(0),
        periodMinutes: 30,
        count: 48,
        ranges: [{ from: '2025-06-01T00:00:00.000Z', to: '2025-06-02T00:00:00.000Z', periods: 48 }],
      },
    ]);
  });

  it('PRI-015: checks 15-minute periods too; half-hour data does not settle them, as a 15-minute run cannot split it (the MDS job agrees)', async () => {
    const { body } = await missingPeriods(
      { from: '2026-10-25T00:00:00Z', to: '2026-10-26T00:00:00Z', periodMinutes: 15, mpanCores: [mpanAt(7)] },
      ADSA,
    );
    expect(body.data.missingPeriods).toEqual([
      {
        mpanCore: mpanAt(7),
        periodMinutes: 15,
        count: 96,
        ranges: [{ from: '2026-10-25T00:00:00.000Z', to: '2026-10-26T00:00:00.000Z', periods: 96 }],
      },
    ]);
  });

  describe('PRI-010: a period that has not ended is not missing yet: the check stops at the start of the period in progress', () => {
    // MPAN 1 (Smart, SDSA) with no data on either 2026 clock-change night, so every ended period there is missing.
    beforeAll(async () => {
      const sql = new Client({ connectionString: stack.database.url });
      await sql.connect();
      try {
        await sql.query(
          `DELETE FROM metering_data.consumption_interval WHERE mpan_core = $1
              AND (utc_start >= '2026-03-29T00:00:00Z' AND utc_start < '2026-03-29T03:00:00Z'
                   OR utc_start >= '2026-10-24T23:00:00Z' AND utc_start < '2026-10-25T03:00:00Z')`,
          [mpanAt(1)],
        );
      } finally {
        await sql.end();
      }
    });
    afterEach(() => stack.clock.set(TEST_NOW));

    it.each([
      // [case, business clock, period length, from, to, end of the check, periods missing]
      ['an ordinary afternoon', '2026-11-27T12:10:00Z', 30, '2026-11-27T06:00:00Z', '2026-11-27T18:00:00Z', '2026-11-27T12:00:00.000Z', 12],
      [
        'the spring clock-change night (01:00 UTC, clocks go forward)',
        '2026-03-29T01:40:00Z',
        30,
        '2026-03-29T00:00:00Z',
        '2026-03-29T03:00:00Z',
        '2026-03-29T01:30:00.000Z',
        3,
      ],
      [
        'the autumn clock-change night (01:00 local twice)',
        '2026-10-25T01:15:00Z',
        30,
        '2026-10-24T23:00:00Z',
        '2026-10-25T03:00:00Z',
        '2026-10-25T01:00:00.000Z',
        4,
      ],
      [
        'a 15-minute-period day (PRI-015) on the autumn night',
        '2026-10-25T01:20:00Z',
        15,
        '2026-10-24T23:00:00Z',
        '2026-10-25T03:00:00Z',
        '2026-10-25T01:15:00.000Z',
        9,
      ],
    ])('on %s', async (_case, now, periodMinutes, from, to, end, periods) => {
      stack.clock.set(now);
      const { body } = await missingPeriods({ from, to, periodMinutes, mpanCores: [mpanAt(1)] }, SDSA);
      expect(body).toEqual({
        data: {
          missingPeriods: [
            { mpanCore: mpanAt(1), periodMinutes, count: periods, ranges: [{ from: new Date(from).toISOString(), to: end, periods }] },
          ],
        },
      });
    });

    it('reports nothing while the first period of the range is still running', async () => {
      stack.clock.set('2026-10-25T01:29:59Z');
      const { body } = await missingPeriods({ from: '2026-10-25T01:00:00Z', to: '2026-10-25T03:00:00Z', mpanCores: [mpanAt(1)] }, SDSA);
      expect(body).toEqual({ data: { missingPeriods: [] } });
    });
  });

  it('refuses an unaligned range, a period length other than 15 or 30 and a range longer than 31 days', async () => {
    const reasonOf = async (variables: Record<string, unknown>) =>
      (await missingPeriods(variables, SDSA)).body.errors?.[0]?.extensions?.reason;
    expect(await reasonOf({ from: '2026-09-01T00:10:00Z', to: '2026-09-02T00:00:00Z' })).toBe('UNALIGNED_PERIOD_START');
    expect(await reasonOf({ from: '2026-09-01T00:00:00Z', to: '2026-09-02T00:00:00Z', periodMinutes: 60 })).toBe('INVALID_PERIOD_LENGTH');
    expect(await reasonOf({ from: '2026-08-01T00:00:00Z', to: '2026-09-02T00:00:00Z' })).toBe('INVALID_RANGE');
    const { body } = await missingPeriods({ from: '2026-09-02T00:00:00Z', to: '2026-09-01T00:00:00Z' }, SDSA);
    expect(body.errors[0]).toMatchObject({
      message:
        'missingPeriods: from (2026-09-02T00:00:00.000Z) must be before to (2026-09-01T00:00:00.000Z) and at most 31 days before it; ranges are [from, to) in UTC',
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_RANGE' },
    });
  });

  it("is refused to a supplier: the completeness check is the data service's", async () => {
    const { status, body } = await missingPeriods({ from: '2026-09-20T00:00:00Z', to: '2026-09-21T00:00:00Z' }, SUPA);
    expectHidden({ status, body }, 'Query.missingPeriods');
  });
});
