import { badUserInput, conflict, Reason } from '../../core';
import type { SettlementDayRange } from './settlement-days';

// One period length per MPAN and settlement day (PRI-015). A day is settled in periods of one length; data of two
// lengths for one day would either double-count (a quarter hour inside a stored half hour, both current) or be lost
// (the second quarter hour of a half hour in a 30-minute run). So a submission that mixes lengths for an MPAN and
// settlement day is refused as a whole, and so is one whose length differs from what is stored current for that day,
// unless it replaces the whole day.

/** The intervals of one submission that fall on one settlement day of one metering point. */
export interface MpanDay {
  mpanCore: string;
  day: SettlementDayRange;
  /** Period lengths sent for this MPAN and day. */
  lengths: Set<number>;
}

interface Timed {
  mpanCore: string;
  utcStart: Date;
  periodMinutes: number;
}

export const mpanDayKey = (mpanCore: string, settlementDate: string) => `${mpanCore}|${settlementDate}`;

/** Groups intervals by metering point and settlement day, in the order first seen. */
export function groupByMpanDay(intervals: Iterable<Timed>, dayOf: (instant: Date) => SettlementDayRange): Map<string, MpanDay> {
  const groups = new Map<string, MpanDay>();
  for (const interval of intervals) {
    const day = dayOf(interval.utcStart);
    const key = mpanDayKey(interval.mpanCore, day.settlementDate);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { mpanCore: interval.mpanCore, day, lengths: new Set() }));
    group.lengths.add(interval.periodMinutes);
  }
  return groups;
}

/** Refuses the whole call when it sends two period lengths for one MPAN and settlement day (MIXED_PERIOD_LENGTHS). */
export function assertOneLengthPerMpanDay(groups: Iterable<MpanDay>): void {
  for (const group of groups) {
    if (group.lengths.size < 2) continue;
    const lengths = [...group.lengths].sort((a, b) => a - b);
    throw badUserInput(
      Reason.MIXED_PERIOD_LENGTHS,
      `submitConsumption: ${group.mpanCore} has ${lengths.join('- and ')}-minute intervals for settlement day ${group.day.settlementDate} in this call; a metering point's settlement day has periods of one length (PRI-015). Nothing was stored`,
    );
  }
}

/** The current intervals stored for one MPAN and settlement day, by period length and quantity. */
export interface StoredLengths {
  periodMinutes: number;
  quantity: string;
  count: number;
}

/** Number of periods of `periodMinutes` in a settlement day (46/48/50 of 30 minutes, 92/96/100 of 15). */
export function periodsInDay(day: SettlementDayRange, periodMinutes: number): number {
  return (day.utcEnd.getTime() - day.utcStart.getTime()) / (periodMinutes * 60_000);
}

/**
 * Decides what a submission at `length` does to an MPAN and day that already has current intervals (`stored`):
 * - none of another length: nothing to replace (false);
 * - some of another length, and the submission carries every period of the day at `length` for each quantity stored
 *   at the other length: a whole-day replacement, so the other length's intervals are superseded (true);
 * - otherwise the call is refused as a whole (CONFLICT, PERIOD_LENGTH_DIFFERS_FROM_STORED).
 * `sentPerQuantity` counts the accepted intervals of this MPAN and day per quantity (each at most once: duplicates are
 * rejected earlier, and every one is aligned and inside the day, so the count equal to the day's periods means all).
 */
export function replacesOtherLength(
  mpanCore: string,
  day: SettlementDayRange,
  length: number,
  stored: readonly StoredLengths[],
  sentPerQuantity: ReadonlyMap<string, number>,
): boolean {
  const other = stored.filter((s) => s.periodMinutes !== length);
  if (other.length === 0) return false;
  const needed = periodsInDay(day, length);
  const incomplete = [...new Set(other.map((s) => s.quantity))].filter((quantity) => (sentPerQuantity.get(quantity) ?? 0) !== needed);
  if (incomplete.length === 0) return true;
  const storedLength = other[0].periodMinutes;
  const storedCount = other.filter((s) => s.periodMinutes === storedLength).reduce((n, s) => n + s.count, 0);
  throw conflict(
    Reason.PERIOD_LENGTH_DIFFERS_FROM_STORED,
    `submitConsumption: ${mpanCore} has ${storedCount} current ${storedLength}-minute interval(s) on settlement day ${day.settlementDate}; ${length}-minute data for that day is accepted only as a whole-day replacement: all ${needed} periods of ${incomplete.join(', ')} in one call (PRI-015). Nothing was stored`,
  );
}
