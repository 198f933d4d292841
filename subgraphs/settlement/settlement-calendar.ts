/**
 * The settlement calendar: the one place where UTC instants meet UK clock time (settlement dates and period numbers).
 * Everything else in the project stays in UTC, so clock-change days (46 or 50 half-hour periods) are handled here once.
 */

import { SETTLEMENT_PERIOD_MINUTES } from '../../core';

/** Settlement days are UK local calendar days, whatever the clock offset of the moment. */
export const SETTLEMENT_TIME_ZONE = 'Europe/London';

/** Period lengths the calendar accepts (PRI-015); each divides an hour. */
export const ALLOWED_PERIOD_MINUTES = SETTLEMENT_PERIOD_MINUTES;

/** Whether a day's clock change made it shorter (spring) or longer (autumn) than 24 hours. */
export type ClockChange = 'NONE' | 'SPRING_FORWARD' | 'AUTUMN_BACK';

/** Machine-readable cause of a `SettlementCalendarError`, named like the API's reason codes so callers can pass it on. */
export type SettlementCalendarErrorReason =
  'INVALID_PERIOD_LENGTH' | 'UNALIGNED_PERIOD_START' | 'INVALID_SETTLEMENT_PERIOD' | 'INVALID_DATE';

/** A caller's mistake, kept a plain Error so this module stays free of GraphQL; `reason` lets a resolver map it. */
export class SettlementCalendarError extends Error {
  constructor(
    readonly reason: SettlementCalendarErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'SettlementCalendarError';
  }
}

/** One settlement day as a UTC range [utcStart, utcEnd), so its length shows the clock change. */
export interface SettlementDay {
  settlementDate: string;
  utcStart: Date;
  utcEnd: Date;
  periodMinutes: number;
  periodCount: number;
  clockChange: ClockChange;
}

/** One settlement period as a UTC range plus its place in the settlement day; `localStartTime` disambiguates repeated hours. */
export interface SettlementPeriod {
  utcStart: Date;
  utcEnd: Date;
  periodMinutes: number;
  settlementDate: string;
  settlementPeriod: number;
  periodsInDay: number;
  localStartTime: string;
  clockChange: ClockChange;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// longOffset gives the offset itself ("GMT", "GMT+01:00"), so no local wall-clock fields have to be parsed back.
const OFFSET_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: SETTLEMENT_TIME_ZONE, timeZoneName: 'longOffset' });
const OFFSET_PATTERN = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Returns the UTC instant of UK local midnight at the start of `settlementDate` (YYYY-MM-DD). */
export function localMidnightUtc(settlementDate: string): Date {
  return new Date(localMidnightMs(parseSettlementDate(settlementDate)));
}

/** Describes the settlement day `settlementDate`, ending at the next UK local midnight so clock-change days get 23 or 25 hours. */
export function settlementDay(settlementDate: string, periodMinutes: number): SettlementDay {
  const periodMs = checkPeriodMinutes(periodMinutes) * MINUTE_MS;
  const calendarMs = parseSettlementDate(settlementDate);
  const start = localMidnightMs(calendarMs);
  const end = localMidnightMs(calendarMs + DAY_MS);
  // UK offsets are whole hours, so this only fails before 1847-12-01 when London kept local mean time (-00:01:15).
  if (start % periodMs !== 0 || end % periodMs !== 0) {
    throw new SettlementCalendarError(
      'INVALID_DATE',
      `settlement date ${settlementDate} cannot be split into ${periodMinutes}-minute periods: UK local midnight falls at ` +
        `${new Date(start).toISOString()}, not on a ${periodMinutes}-minute boundary of UTC`,
    );
  }
  return {
    settlementDate,
    utcStart: new Date(start),
    utcEnd: new Date(end),
    periodMinutes,
    periodCount: (end - start) / periodMs,
    clockChange: end - start < DAY_MS ? 'SPRING_FORWARD' : end - start > DAY_MS ? 'AUTUMN_BACK' : 'NONE',
  };
}

/** Finds the settlement date and period that start at `utcStart`, refusing instants that are not a period boundary. */
export function settlementPeriodOf(utcStart: Date, periodMinutes: number): SettlementPeriod {
  const periodMs = checkPeriodMinutes(periodMinutes) * MINUTE_MS;
  const start = checkInstant(utcStart, 'settlement period start');
  // Boundaries are checked in UTC: with whole-hour UK offsets and periods dividing an hour, UTC and local boundaries coincide.
  if (start % periodMs !== 0) {
    const earlier = new Date(Math.floor(start / periodMs) * periodMs).toISOString();
    throw new SettlementCalendarError(
      'UNALIGNED_PERIOD_START',
      `settlement period start ${new Date(start).toISOString()} is not on a ${periodMinutes}-minute boundary; ` +
        `${periodMinutes}-minute periods start at whole multiples of ${periodMinutes} minutes of UTC, such as ${earlier}`,
    );
  }
  const offsetMs = ukOffsetMs(start);
  const day = settlementDay(calendarDateText(start + offsetMs), periodMinutes);
  return {
    utcStart: new Date(start),
    utcEnd: new Date(start + periodMs),
    periodMinutes,
    settlementDate: day.settlementDate,
    settlementPeriod: (start - day.utcStart.getTime()) / periodMs + 1,
    periodsInDay: day.periodCount,
    localStartTime: localIsoText(start, offsetMs),
    clockChange: day.clockChange,
  };
}

/** Returns the UTC start of period `settlementPeriod` of `settlementDate`, the inverse of `settlementPeriodOf`. */
export function periodStartUtc(settlementDate: string, settlementPeriod: number, periodMinutes: number): Date {
  const day = settlementDay(settlementDate, periodMinutes);
  if (!Number.isInteger(settlementPeriod) || settlementPeriod < 1 || settlementPeriod > day.periodCount) {
    throw new SettlementCalendarError(
      'INVALID_SETTLEMENT_PERIOD',
      `${settlementDate} has ${day.periodCount} settlement periods of ${periodMinutes} minutes; got ${settlementPeriod}`,
    );
  }
  return new Date(day.utcStart.getTime() + (settlementPeriod - 1) * periodMinutes * MINUTE_MS);
}

/** Lists, in order, the settlement dates whose days overlap [fromUtc, toUtc); an empty or reversed range overlaps none. */
export function settlementDatesCovering(fromUtc: Date, toUtc: Date): string[] {
  const from = checkInstant(fromUtc, 'range start');
  const to = checkInstant(toUtc, 'range end');
  if (to <= from) return [];
  // The day holding the range's last millisecond is the last one it touches, since `to` itself is excluded.
  const firstMs = calendarDayMs(from + ukOffsetMs(from));
  const lastMs = calendarDayMs(to - 1 + ukOffsetMs(to - 1));
  const dates: string[] = [];
  for (let dayMs = firstMs; dayMs <= lastMs; dayMs += DAY_MS) dates.push(calendarDateText(dayMs));
  return dates;
}

function checkPeriodMinutes(periodMinutes: number): number {
  // The divides-an-hour test guards the alignment shortcut above if someone extends the list.
  if (!ALLOWED_PERIOD_MINUTES.includes(periodMinutes) || 60 % periodMinutes !== 0) {
    throw new SettlementCalendarError(
      'INVALID_PERIOD_LENGTH',
      `settlement period length must be one of ${ALLOWED_PERIOD_MINUTES.join(', ')} minutes (PRI-015); got ${periodMinutes}`,
    );
  }
  return periodMinutes;
}

function checkInstant(value: Date, what: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms)) throw new SettlementCalendarError('INVALID_DATE', `${what} must be a valid Date; got ${String(value)}`);
  return ms;
}

/** Parses YYYY-MM-DD to the UTC midnight of that calendar date, rejecting impossible dates such as 2026-02-30. */
function parseSettlementDate(settlementDate: string): number {
  const match = typeof settlementDate === 'string' ? DATE_PATTERN.exec(settlementDate) : null;
  const ms = match ? utcMs(Number(match[1]), Number(match[2]), Number(match[3])) : NaN;
  if (!match || Number.isNaN(ms) || calendarDateText(ms) !== settlementDate) {
    throw new SettlementCalendarError(
      'INVALID_DATE',
      `a settlement date is a real calendar date written YYYY-MM-DD, such as 2026-03-29; got ${JSON.stringify(settlementDate)}`,
    );
  }
  return ms;
}

/** Converts a calendar date's UTC midnight to the instant the UK clock reads 00:00 that day. */
function localMidnightMs(calendarMs: number): number {
  // A second pass corrects the guess when midnight and the calendar date's UTC midnight have different offsets.
  let instant = calendarMs - ukOffsetMs(calendarMs);
  instant = calendarMs - ukOffsetMs(instant);
  if (instant + ukOffsetMs(instant) !== calendarMs) {
    // UK clocks have changed at 01:00 UTC since 1847, so only the switch from local mean time (1847-12-01) lands here.
    throw new SettlementCalendarError(
      'INVALID_DATE',
      `UK local midnight never happened on ${calendarDateText(calendarMs)}, so it cannot start or end a settlement day`,
    );
  }
  return instant;
}

/** The UK offset from UTC at `instantMs`, in milliseconds (0 in winter, +1 hour in British Summer Time). */
// Since 1972 every UK clock change happens on a whole UTC hour (01:00), so the offset is constant within an hour and
// one Intl lookup per hour serves every instant in it. Earlier instants (odd historic offsets) are computed each time.
const WHOLE_HOUR_CHANGES_FROM_MS = Date.UTC(1972, 0, 1);
const HOUR_MS = 60 * MINUTE_MS;
const offsetByHour = new Map<number, number>();

function ukOffsetMs(instantMs: number): number {
  if (instantMs < WHOLE_HOUR_CHANGES_FROM_MS) return lookUpUkOffsetMs(instantMs);
  const hour = Math.floor(instantMs / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = lookUpUkOffsetMs(hour * HOUR_MS);
    // A bound on memory for callers that walk centuries; a year of hours is under 9,000 entries.
    if (offsetByHour.size >= 200_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

function lookUpUkOffsetMs(instantMs: number): number {
  const text = OFFSET_FORMAT.formatToParts(new Date(instantMs)).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const match = OFFSET_PATTERN.exec(text);
  if (!match) throw new Error(`unexpected UK offset "${text}" from Intl.DateTimeFormat`);
  if (!match[1]) return 0;
  const sign = match[1] === '-' ? -1 : 1;
  return sign * ((Number(match[2]) * 60 + Number(match[3])) * MINUTE_MS + Number(match[4] ?? 0) * 1000);
}

function utcMs(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

function calendarDayMs(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function calendarDateText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Writes the local wall-clock time with its offset, the only form that tells the two 01:00s of autumn apart. */
function localIsoText(instantMs: number, offsetMs: number): string {
  const wallClock = new Date(instantMs + offsetMs).toISOString().slice(0, 19);
  const offsetMinutes = Math.abs(offsetMs) / MINUTE_MS;
  const sign = offsetMs < 0 ? '-' : '+';
  return `${wallClock}${sign}${pad(Math.floor(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
