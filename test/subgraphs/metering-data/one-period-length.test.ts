import {
  assertOneLengthPerMpanDay,
  groupByMpanDay,
  periodsInDay,
  replacesOtherLength,
} from '../../../subgraphs/metering-data/one-period-length';
import { settlementDayFinder, type SettlementDayRange } from '../../../subgraphs/metering-data/settlement-days';

// The one-period-length rule (PRI-015) as pure functions; the gateway tests run it end to end.

const day = (settlementDate: string, from: string, to: string): SettlementDayRange => ({
  settlementDate,
  utcStart: new Date(from),
  utcEnd: new Date(to),
});
// Summer days start at 23:00 UTC the day before (PRI-014: the settlement subgraph says so; here they are given).
const JULY_10 = day('2026-07-10', '2026-07-09T23:00:00Z', '2026-07-10T23:00:00Z');
const JULY_11 = day('2026-07-11', '2026-07-10T23:00:00Z', '2026-07-11T23:00:00Z');
const AUTUMN = day('2026-10-25', '2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z');
const dayOf = settlementDayFinder([JULY_10, JULY_11, AUTUMN]);
const at = (iso: string, periodMinutes: number, mpanCore = 'A') => ({ mpanCore, utcStart: new Date(iso), periodMinutes });

describe('one period length per MPAN and settlement day (PRI-015)', () => {
  it('PRI-014: finds the settlement day of an instant from the days the settlement subgraph gave, not from the UTC date', () => {
    expect(dayOf(new Date('2026-07-10T22:30:00Z'))).toBe(JULY_10);
    expect(dayOf(new Date('2026-07-10T23:00:00Z'))).toBe(JULY_11);
    expect(() => dayOf(new Date('2026-08-01T00:00:00Z'))).toThrow('no settlement day was asked for 2026-08-01T00:00:00.000Z');
  });

  it('PRI-015: refuses two lengths for one MPAN and settlement day with MIXED_PERIOD_LENGTHS, and allows them on other days or MPANs', () => {
    const fine = groupByMpanDay(
      [at('2026-07-10T22:30:00Z', 30), at('2026-07-10T23:15:00Z', 15), at('2026-07-10T22:45:00Z', 15, 'B')],
      dayOf,
    );
    expect(() => assertOneLengthPerMpanDay(fine.values())).not.toThrow();
    const mixed = groupByMpanDay([at('2026-07-10T23:00:00Z', 30), at('2026-07-11T10:15:00Z', 15)], dayOf);
    expect(() => assertOneLengthPerMpanDay(mixed.values())).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', reason: 'MIXED_PERIOD_LENGTHS' } }),
    );
  });

  it('PRI-015: counts the periods of a day at each length, clock-change days included', () => {
    expect([periodsInDay(JULY_11, 30), periodsInDay(JULY_11, 15), periodsInDay(AUTUMN, 30), periodsInDay(AUTUMN, 15)]).toEqual([
      48, 96, 50, 100,
    ]);
  });

  it('PRI-015: a length other than the stored one replaces the day only when every stored quantity is sent for the whole day', () => {
    const stored = [
      { periodMinutes: 30, quantity: 'ACTIVE_IMPORT', count: 48 },
      { periodMinutes: 30, quantity: 'REACTIVE_IMPORT', count: 10 },
    ];
    expect(replacesOtherLength('A', JULY_11, 30, stored, new Map([['ACTIVE_IMPORT', 1]]))).toBe(false);
    expect(replacesOtherLength('A', JULY_11, 15, [], new Map([['ACTIVE_IMPORT', 1]]))).toBe(false);
    expect(
      replacesOtherLength(
        'A',
        JULY_11,
        15,
        stored,
        new Map([
          ['ACTIVE_IMPORT', 96],
          ['REACTIVE_IMPORT', 96],
        ]),
      ),
    ).toBe(true);
    expect(() => replacesOtherLength('A', JULY_11, 15, stored, new Map([['ACTIVE_IMPORT', 96]]))).toThrow(
      expect.objectContaining({
        message:
          'submitConsumption: A has 58 current 30-minute interval(s) on settlement day 2026-07-11; 15-minute data for that day is accepted only as a whole-day replacement: all 96 periods of REACTIVE_IMPORT in one call (PRI-015). Nothing was stored',
        extensions: { code: 'CONFLICT', reason: 'PERIOD_LENGTH_DIFFERS_FROM_STORED' },
      }),
    );
  });
});
