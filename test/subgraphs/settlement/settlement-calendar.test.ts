import {
  ALLOWED_PERIOD_MINUTES,
  SETTLEMENT_TIME_ZONE,
  SettlementCalendarError,
  localMidnightUtc,
  periodStartUtc,
  settlementDatesCovering,
  settlementDay,
  settlementPeriodOf,
} from '../../../subgraphs/settlement/settlement-calendar';

const utc = (iso: string) => new Date(iso);

/** Runs `work` and returns the SettlementCalendarError it throws, so tests can assert reason and message together. */
function calendarErrorOf(work: () => unknown): { reason: string; message: string } {
  try {
    work();
  } catch (error) {
    if (error instanceof SettlementCalendarError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a SettlementCalendarError, but nothing was thrown');
}

describe('settlement calendar constants', () => {
  it('settles in UK local time and allows 15- and 30-minute periods (PRI-015)', () => {
    expect(SETTLEMENT_TIME_ZONE).toBe('Europe/London');
    expect(ALLOWED_PERIOD_MINUTES).toEqual([15, 30]);
  });
});

describe('settlement days (PRI-014: UTC data, UK-local settlement days)', () => {
  it('a summer day starts at the previous 23:00 UTC because the UK is on BST', () => {
    expect(settlementDay('2026-06-15', 30)).toEqual({
      settlementDate: '2026-06-15',
      utcStart: utc('2026-06-14T23:00:00Z'),
      utcEnd: utc('2026-06-15T23:00:00Z'),
      periodMinutes: 30,
      periodCount: 48,
      clockChange: 'NONE',
    });
  });

  it('a winter day starts at 00:00 UTC because the UK is on GMT', () => {
    expect(settlementDay('2026-01-15', 30)).toEqual({
      settlementDate: '2026-01-15',
      utcStart: utc('2026-01-15T00:00:00Z'),
      utcEnd: utc('2026-01-16T00:00:00Z'),
      periodMinutes: 30,
      periodCount: 48,
      clockChange: 'NONE',
    });
  });

  it('the spring clock-change day 2026-03-29 is 23 hours long with 46 half-hour periods', () => {
    expect(settlementDay('2026-03-29', 30)).toEqual({
      settlementDate: '2026-03-29',
      utcStart: utc('2026-03-29T00:00:00Z'),
      utcEnd: utc('2026-03-29T23:00:00Z'),
      periodMinutes: 30,
      periodCount: 46,
      clockChange: 'SPRING_FORWARD',
    });
  });

  it('the autumn clock-change day 2026-10-25 is 25 hours long with 50 half-hour periods', () => {
    expect(settlementDay('2026-10-25', 30)).toEqual({
      settlementDate: '2026-10-25',
      utcStart: utc('2026-10-24T23:00:00Z'),
      utcEnd: utc('2026-10-26T00:00:00Z'),
      periodMinutes: 30,
      periodCount: 50,
      clockChange: 'AUTUMN_BACK',
    });
  });

  it('the 2025 clock changes (2025-03-30 and 2025-10-26) also give 46 and 50 half-hour periods', () => {
    const counts = ['2025-03-29', '2025-03-30', '2025-03-31', '2025-10-25', '2025-10-26', '2025-10-27'].map((date) => {
      const day = settlementDay(date, 30);
      return [date, day.periodCount, day.clockChange];
    });
    expect(counts).toEqual([
      ['2025-03-29', 48, 'NONE'],
      ['2025-03-30', 46, 'SPRING_FORWARD'],
      ['2025-03-31', 48, 'NONE'],
      ['2025-10-25', 48, 'NONE'],
      ['2025-10-26', 50, 'AUTUMN_BACK'],
      ['2025-10-27', 48, 'NONE'],
    ]);
  });

  it('with 15-minute periods (PRI-015) a day has 96, the spring day 92 and the autumn day 100 periods', () => {
    const counts = ['2026-06-15', '2026-03-29', '2026-10-25'].map((date) => settlementDay(date, 15).periodCount);
    expect(counts).toEqual([96, 92, 100]);
  });

  it('every day of 2026 ends where the next begins, and only the two clock-change days differ from 48 periods', () => {
    const unusual: Array<[string, number]> = [];
    let previousEnd = localMidnightUtc('2026-01-01');
    for (let day = new Date('2026-01-01T00:00:00Z'); day.getUTCFullYear() === 2026; day.setUTCDate(day.getUTCDate() + 1)) {
      const date = day.toISOString().slice(0, 10);
      const settlement = settlementDay(date, 30);
      expect(settlement.utcStart).toEqual(previousEnd);
      previousEnd = settlement.utcEnd;
      if (settlement.periodCount !== 48) unusual.push([date, settlement.periodCount]);
    }
    expect(unusual).toEqual([
      ['2026-03-29', 46],
      ['2026-10-25', 50],
    ]);
  });

  it('local midnight on the clock-change days is 00:00 UTC in spring (GMT) and 23:00 UTC the day before in autumn (BST)', () => {
    expect([
      localMidnightUtc('2026-03-29'),
      localMidnightUtc('2026-03-30'),
      localMidnightUtc('2026-10-25'),
      localMidnightUtc('2026-10-26'),
    ]).toEqual([utc('2026-03-29T00:00:00Z'), utc('2026-03-29T23:00:00Z'), utc('2026-10-24T23:00:00Z'), utc('2026-10-26T00:00:00Z')]);
  });
});

describe('settlement periods', () => {
  it('period 1 of the summer day 2026-06-15 starts at 2026-06-14T23:00Z, local midnight', () => {
    expect(settlementPeriodOf(utc('2026-06-14T23:00:00Z'), 30)).toEqual({
      utcStart: utc('2026-06-14T23:00:00Z'),
      utcEnd: utc('2026-06-14T23:30:00Z'),
      periodMinutes: 30,
      settlementDate: '2026-06-15',
      settlementPeriod: 1,
      periodsInDay: 48,
      localStartTime: '2026-06-15T00:00:00+01:00',
      clockChange: 'NONE',
    });
  });

  it('period 48 of the summer day 2026-06-15 starts at 2026-06-15T22:30Z', () => {
    expect(periodStartUtc('2026-06-15', 1, 30)).toEqual(utc('2026-06-14T23:00:00Z'));
    expect(periodStartUtc('2026-06-15', 48, 30)).toEqual(utc('2026-06-15T22:30:00Z'));
    expect(settlementPeriodOf(utc('2026-06-15T22:30:00Z'), 30)).toEqual({
      utcStart: utc('2026-06-15T22:30:00Z'),
      utcEnd: utc('2026-06-15T23:00:00Z'),
      periodMinutes: 30,
      settlementDate: '2026-06-15',
      settlementPeriod: 48,
      periodsInDay: 48,
      localStartTime: '2026-06-15T23:30:00+01:00',
      clockChange: 'NONE',
    });
  });

  it('period 1 of the winter day 2026-01-15 starts at 00:00Z with a +00:00 offset', () => {
    expect(settlementPeriodOf(utc('2026-01-15T00:00:00Z'), 30)).toEqual({
      utcStart: utc('2026-01-15T00:00:00Z'),
      utcEnd: utc('2026-01-15T00:30:00Z'),
      periodMinutes: 30,
      settlementDate: '2026-01-15',
      settlementPeriod: 1,
      periodsInDay: 48,
      localStartTime: '2026-01-15T00:00:00+00:00',
      clockChange: 'NONE',
    });
  });

  it('on the spring day 2026-03-29 local 01:00-02:00 never happens, so period 3 starts at 02:00 BST', () => {
    const periods = [1, 2, 3, 46].map((period) => {
      const found = settlementPeriodOf(periodStartUtc('2026-03-29', period, 30), 30);
      return [found.settlementPeriod, found.utcStart.toISOString(), found.localStartTime, found.periodsInDay, found.clockChange];
    });
    expect(periods).toEqual([
      [1, '2026-03-29T00:00:00.000Z', '2026-03-29T00:00:00+00:00', 46, 'SPRING_FORWARD'],
      [2, '2026-03-29T00:30:00.000Z', '2026-03-29T00:30:00+00:00', 46, 'SPRING_FORWARD'],
      [3, '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00+01:00', 46, 'SPRING_FORWARD'],
      [46, '2026-03-29T22:30:00.000Z', '2026-03-29T23:30:00+01:00', 46, 'SPRING_FORWARD'],
    ]);
  });

  it('on the autumn day 2026-10-25 periods 3 and 5 both start at local 01:00, told apart by their offsets', () => {
    const periods = [1, 3, 4, 5, 6, 50].map((period) => {
      const found = settlementPeriodOf(periodStartUtc('2026-10-25', period, 30), 30);
      return [found.settlementPeriod, found.utcStart.toISOString(), found.localStartTime];
    });
    expect(periods).toEqual([
      [1, '2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00+01:00'],
      [3, '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00+01:00'],
      [4, '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00+01:00'],
      [5, '2026-10-25T01:00:00.000Z', '2026-10-25T01:00:00+00:00'],
      [6, '2026-10-25T01:30:00.000Z', '2026-10-25T01:30:00+00:00'],
      [50, '2026-10-25T23:30:00.000Z', '2026-10-25T23:30:00+00:00'],
    ]);
  });

  it('with 15-minute periods (PRI-015) the autumn day 2026-10-25 has periods 5 and 9 at local 01:00 and ends with period 100', () => {
    expect(settlementPeriodOf(utc('2026-10-25T00:00:00Z'), 15)).toMatchObject({
      settlementPeriod: 5,
      periodsInDay: 100,
      localStartTime: '2026-10-25T01:00:00+01:00',
    });
    expect(settlementPeriodOf(utc('2026-10-25T01:00:00Z'), 15)).toMatchObject({
      settlementPeriod: 9,
      periodsInDay: 100,
      localStartTime: '2026-10-25T01:00:00+00:00',
    });
    expect(settlementPeriodOf(utc('2026-10-25T23:45:00Z'), 15)).toEqual({
      utcStart: utc('2026-10-25T23:45:00Z'),
      utcEnd: utc('2026-10-26T00:00:00Z'),
      periodMinutes: 15,
      settlementDate: '2026-10-25',
      settlementPeriod: 100,
      periodsInDay: 100,
      localStartTime: '2026-10-25T23:45:00+00:00',
      clockChange: 'AUTUMN_BACK',
    });
  });

  it.each([15, 30])(
    'periodStartUtc and settlementPeriodOf round-trip every %i-minute period of the sample days, each period following the last (PRI-014, PRI-015)',
    (periodMinutes) => {
      for (const date of ['2026-01-15', '2026-06-15', '2026-03-29', '2026-10-25', '2025-03-30', '2025-10-26']) {
        const day = settlementDay(date, periodMinutes);
        let expectedStart = day.utcStart.getTime();
        for (let period = 1; period <= day.periodCount; period++) {
          const start = periodStartUtc(date, period, periodMinutes);
          expect(start.getTime()).toBe(expectedStart);
          const found = settlementPeriodOf(start, periodMinutes);
          expect([found.settlementDate, found.settlementPeriod, found.periodsInDay]).toEqual([date, period, day.periodCount]);
          expectedStart = found.utcEnd.getTime();
        }
        expect(expectedStart).toBe(day.utcEnd.getTime());
      }
    },
  );

  it('the last half-hour of a day belongs to that day, not the next (the DST off-by-one bug class)', () => {
    const lastPeriods = [
      settlementPeriodOf(utc('2026-06-15T22:30:00Z'), 30),
      settlementPeriodOf(utc('2026-03-29T22:30:00Z'), 30),
      settlementPeriodOf(utc('2026-10-25T23:30:00Z'), 30),
      settlementPeriodOf(utc('2026-10-24T22:30:00Z'), 30),
    ].map((found) => [found.settlementDate, found.settlementPeriod]);
    expect(lastPeriods).toEqual([
      ['2026-06-15', 48],
      ['2026-03-29', 46],
      ['2026-10-25', 50],
      ['2026-10-24', 48],
    ]);
    expect(settlementPeriodOf(utc('2026-10-24T23:00:00Z'), 30)).toMatchObject({ settlementDate: '2026-10-25', settlementPeriod: 1 });
  });
});

describe('settlement dates covering a UTC range [from, to)', () => {
  it('a range ending exactly at local midnight does not include the next day', () => {
    expect(settlementDatesCovering(utc('2026-06-14T23:00:00Z'), utc('2026-06-15T23:00:00Z'))).toEqual(['2026-06-15']);
  });

  it('a range starting one half-hour before local midnight includes the day it starts in', () => {
    expect(settlementDatesCovering(utc('2026-06-14T22:30:00Z'), utc('2026-06-15T00:00:00Z'))).toEqual(['2026-06-14', '2026-06-15']);
  });

  it('a range across both 2026 clock changes lists every settlement date once', () => {
    const spring = settlementDatesCovering(utc('2026-03-28T12:00:00Z'), utc('2026-03-30T00:00:00Z'));
    const autumn = settlementDatesCovering(utc('2026-10-24T23:00:00Z'), utc('2026-10-26T00:00:01Z'));
    expect([spring, autumn]).toEqual([
      ['2026-03-28', '2026-03-29', '2026-03-30'],
      ['2026-10-25', '2026-10-26'],
    ]);
  });

  it('an empty range overlaps no settlement day', () => {
    expect(settlementDatesCovering(utc('2026-06-15T12:00:00Z'), utc('2026-06-15T12:00:00Z'))).toEqual([]);
  });
});

describe('settlement calendar errors', () => {
  it('a period start that is not on a period boundary is rejected with UNALIGNED_PERIOD_START', () => {
    expect(calendarErrorOf(() => settlementPeriodOf(utc('2026-06-15T10:15:00Z'), 30))).toEqual({
      reason: 'UNALIGNED_PERIOD_START',
      message:
        'settlement period start 2026-06-15T10:15:00.000Z is not on a 30-minute boundary; 30-minute periods start at whole ' +
        'multiples of 30 minutes of UTC, such as 2026-06-15T10:00:00.000Z',
    });
    expect(calendarErrorOf(() => settlementPeriodOf(utc('2026-06-15T10:00:01Z'), 15)).reason).toBe('UNALIGNED_PERIOD_START');
  });

  it('a period number outside the day is rejected with INVALID_SETTLEMENT_PERIOD, e.g. period 47 on the spring day', () => {
    expect(calendarErrorOf(() => periodStartUtc('2026-03-29', 47, 30))).toEqual({
      reason: 'INVALID_SETTLEMENT_PERIOD',
      message: '2026-03-29 has 46 settlement periods of 30 minutes; got 47',
    });
    expect([0, 49, 1.5].map((period) => calendarErrorOf(() => periodStartUtc('2026-06-15', period, 30)).message)).toEqual([
      '2026-06-15 has 48 settlement periods of 30 minutes; got 0',
      '2026-06-15 has 48 settlement periods of 30 minutes; got 49',
      '2026-06-15 has 48 settlement periods of 30 minutes; got 1.5',
    ]);
    expect(periodStartUtc('2026-10-25', 50, 30)).toEqual(utc('2026-10-25T23:30:00Z'));
  });

  it('a period length other than 15 or 30 minutes is rejected with INVALID_PERIOD_LENGTH (PRI-015)', () => {
    expect(calendarErrorOf(() => settlementDay('2026-06-15', 60))).toEqual({
      reason: 'INVALID_PERIOD_LENGTH',
      message: 'settlement period length must be one of 15, 30 minutes (PRI-015); got 60',
    });
    expect([
      calendarErrorOf(() => settlementPeriodOf(utc('2026-06-15T00:00:00Z'), 20)).reason,
      calendarErrorOf(() => periodStartUtc('2026-06-15', 1, 45)).reason,
    ]).toEqual(['INVALID_PERIOD_LENGTH', 'INVALID_PERIOD_LENGTH']);
  });

  it('settlement dates that are not real YYYY-MM-DD dates are rejected with INVALID_DATE', () => {
    const reasons = ['2026-02-29', '2026-13-01', '2026-6-15', '15/06/2026', '2026-06-15T00:00:00Z', ''].map(
      (date) => calendarErrorOf(() => settlementDay(date, 30)).reason,
    );
    expect(reasons).toEqual(Array(6).fill('INVALID_DATE'));
    expect(calendarErrorOf(() => localMidnightUtc('2026-02-30')).message).toBe(
      'a settlement date is a real calendar date written YYYY-MM-DD, such as 2026-03-29; got "2026-02-30"',
    );
    expect(settlementDay('2028-02-29', 30).periodCount).toBe(48);
  });

  it('invalid Date instants are rejected with INVALID_DATE', () => {
    expect(calendarErrorOf(() => settlementPeriodOf(new Date('nonsense'), 30))).toEqual({
      reason: 'INVALID_DATE',
      message: 'settlement period start must be a valid Date; got Invalid Date',
    });
    expect(calendarErrorOf(() => settlementDatesCovering(new Date(NaN), utc('2026-06-15T00:00:00Z'))).reason).toBe('INVALID_DATE');
  });

  it('calendar errors are plain Errors with a name, so they log and rethrow like any other', () => {
    let error: unknown;
    try {
      periodStartUtc('2026-03-29', 47, 30);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SettlementCalendarError);
    expect((error as Error).name).toBe('SettlementCalendarError');
  });
});

describe('UK offsets looked up once per UTC hour (a cache) agree with a fresh lookup everywhere', () => {
  it('every quarter hour of 1995, 2026 and 2040 has the local time Intl gives for Europe/London', () => {
    const offsetText = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' });
    let checked = 0;
    for (const year of [1995, 2026, 2040]) {
      for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 15 * 60_000) {
        const zone = offsetText.formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')!.value;
        const expected = zone === 'GMT' ? '+00:00' : zone.slice(3);
        const period = settlementPeriodOf(new Date(ms), 15);
        if (!period.localStartTime.endsWith(expected))
          throw new Error(`${new Date(ms).toISOString()}: ${period.localStartTime}, Intl says ${zone}`);
        checked++;
      }
    }
    expect(checked).toBe(4 * 24 * (365 + 365 + 366));
  });
});
