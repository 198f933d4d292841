import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, Reason } from '../../core';
import { ALL_TIME, type DayRange } from '../kit/scope';
import type { MeteringDataLoaders } from './loaders';
import * as store from './store';
import { askSettlementDaysOf, type SettlementDayRange } from './settlement-days';

// The bulk path (README "Bulk reads"): a settlement day of interval data as compact series, one per metering point,
// aggregated by PostgreSQL and shaped here into lists of scalars. No object per interval is ever made, so a page of a
// thousand metering points is a thousand objects, not fifty thousand.

type Context = SubgraphContext<MeteringDataLoaders>;

/** Metering points a page, and MPAN cores a call may name. */
export const MAX_SERIES_PAGE = 1000;
/** Settlement days one metering point's series may span in one call. */
export const MAX_SERIES_DAYS = 366;

/** One ConsumptionSeries as the API returns it: every list has `periodCount` entries, null where there is no value. */
export interface ConsumptionSeries {
  mpanCore: string;
  settlementDate: string;
  quantity: string;
  periodMinutes: number;
  utcStart: Date;
  utcEnd: Date;
  periodCount: number;
  intervalCount: number;
  values: (string | null)[];
  qualities: (string | null)[];
  estimationMethods: (string | null)[];
  deEnergisedFlags: (boolean | null)[];
  versions: (number | null)[];
}

/**
 * The instants [from, to) of the day the caller may see, from its scope days (UTC days, like `consumption`'s row
 * scope); null when it may see all of it.
 */
function visibleRanges(scope: readonly DayRange[], day: SettlementDayRange): { from: number; to: number }[] | null {
  if (scope === ALL_TIME) return null;
  const start = day.utcStart.getTime();
  const end = day.utcEnd.getTime();
  return scope
    .map((range) => ({
      from: Math.max(start, Date.parse(`${range.from}T00:00:00Z`)),
      to: Math.min(end, range.to === null ? end : Date.parse(`${range.to}T00:00:00Z`)),
    }))
    .filter((range) => range.from < range.to);
}

/**
 * A stored series spread over the day's periods, keeping only what the caller may see (`visible` null: all); null
 * when nothing is left.
 */
function toSeries(
  row: store.SeriesRow,
  day: SettlementDayRange,
  quantity: string,
  visible: readonly { from: number; to: number }[] | null,
): ConsumptionSeries | null {
  const periodMs = row.periodMinutes * 60_000;
  const periodCount = Math.round((day.utcEnd.getTime() - day.utcStart.getTime()) / periodMs);
  const series: ConsumptionSeries = {
    mpanCore: row.mpanCore,
    settlementDate: day.settlementDate,
    quantity,
    periodMinutes: row.periodMinutes,
    utcStart: day.utcStart,
    utcEnd: day.utcEnd,
    periodCount,
    intervalCount: 0,
    values: new Array<string | null>(periodCount).fill(null),
    qualities: new Array<string | null>(periodCount).fill(null),
    estimationMethods: new Array<string | null>(periodCount).fill(null),
    deEnergisedFlags: new Array<boolean | null>(periodCount).fill(null),
    versions: new Array<number | null>(periodCount).fill(null),
  };
  if (row.longestPeriodMinutes !== row.periodMinutes) {
    // Submissions keep one length per metering point and day (PRI-015); only a write around the API breaks it.
    throw new Error(`${row.mpanCore} has ${row.periodMinutes}- and ${row.longestPeriodMinutes}-minute intervals on ${day.settlementDate}`);
  }
  const dayStart = day.utcStart.getTime();
  row.offsets.forEach((offset, i) => {
    const position = offset / row.periodMinutes;
    if (position < 0 || position >= periodCount) return;
    if (visible) {
      const at = dayStart + position * periodMs;
      if (!visible.some((range) => at >= range.from && at < range.to)) return;
    }
    series.values[position] = row.values[i];
    series.qualities[position] = row.qualities[i];
    series.estimationMethods[position] = row.estimationMethods[i];
    series.deEnergisedFlags[position] = row.deEnergisedFlags[i];
    series.versions[position] = row.versions[i];
    series.intervalCount++;
  });
  return series.intervalCount > 0 ? series : null;
}

/** Cursors of the bulk path are opaque to clients; inside they are the last MPAN core a page looked at. */
export function encodeSeriesCursor(mpanCore: string): string {
  return Buffer.from(`mpan:${mpanCore}`).toString('base64url');
}

function decodeSeriesCursor(cursor: string): string {
  const match = /^mpan:(\d{13})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || encodeSeriesCursor(match[1]) !== cursor) {
    throw badUserInput(
      Reason.INVALID_CURSOR,
      `after: "${cursor}" is not a cursor returned by consumptionSeries; pass a pageInfo.endCursor`,
    );
  }
  return match[1];
}

export interface ConsumptionSeriesArgs {
  settlementDate: string;
  mpanCores?: string[] | null;
  quantity: string;
  first: number;
  after?: string | null;
}

/**
 * One page of `Query.consumptionSeries`: the day's series of the named metering points or of every one with data,
 * after the cursor in MPAN core order, each kept only for the days the caller may see (row scope, asked for the whole
 * page at once).
 */
export async function findConsumptionSeriesPage(ctx: Context, args: ConsumptionSeriesArgs) {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_SERIES_PAGE) {
    throw badUserInput(Reason.INVALID_PAGE_SIZE, `consumptionSeries: first must be between 1 and ${MAX_SERIES_PAGE}, got ${args.first}`);
  }
  if (args.mpanCores && args.mpanCores.length > MAX_SERIES_PAGE) {
    throw badUserInput(
      Reason.TOO_MANY_KEYS,
      `consumptionSeries: at most ${MAX_SERIES_PAGE} mpanCores per call, got ${args.mpanCores.length}; page through a portfolio without them`,
    );
  }
  const after = args.after ? decodeSeriesCursor(args.after) : null;
  const [day] = await askSettlementDaysOf(ctx.askSubgraph, [args.settlementDate]);
  // One row more than the page tells whether another page follows.
  const rows = await store.findSeriesPage(ctx.db, {
    quantity: args.quantity,
    dayStart: day.utcStart,
    dayEnd: day.utcEnd,
    after,
    mpanCores: args.mpanCores ? [...new Set(args.mpanCores)] : null,
    limit: args.first + 1,
  });
  const hasNextPage = rows.length > args.first;
  const page = rows.slice(0, args.first);
  const scopes = await Promise.all(page.map((row) => ctx.scope.load(row.mpanCore)));
  const nodes = page
    .map((row, i) => toSeries(row, day, args.quantity, visibleRanges(scopes[i], day)))
    .filter((series): series is ConsumptionSeries => series !== null);
  const last = page.at(-1);
  return {
    nodes,
    pageInfo: { hasNextPage, endCursor: last ? encodeSeriesCursor(last.mpanCore) : (args.after ?? null) },
  };
}

/** Every settlement date from `from` to `to`, both included. */
function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates;
}

/** Settlement days asked once per request, however many metering points ask for the same dates. */
const daysOfRequest = new WeakMap<object, Map<string, Promise<SettlementDayRange[]>>>();

function settlementDaysFor(ctx: Context, from: string, to: string): Promise<SettlementDayRange[]> {
  let asked = daysOfRequest.get(ctx);
  if (!asked) daysOfRequest.set(ctx, (asked = new Map()));
  const key = `${from}|${to}`;
  let days = asked.get(key);
  if (!days) asked.set(key, (days = askSettlementDaysOf(ctx.askSubgraph, datesBetween(from, to))));
  return days;
}

/** `MeteringPoint.consumptionSeries`: one metering point's series for each settlement day in [fromDate, toDate]. */
export async function findMeteringPointSeries(
  ctx: Context,
  mpanCore: string,
  args: { fromDate: string; toDate: string; quantity: string },
): Promise<ConsumptionSeries[]> {
  const dayCount = (Date.parse(`${args.toDate}T00:00:00Z`) - Date.parse(`${args.fromDate}T00:00:00Z`)) / 86_400_000 + 1;
  if (dayCount < 1 || dayCount > MAX_SERIES_DAYS) {
    throw badUserInput(
      Reason.INVALID_RANGE,
      `consumptionSeries: toDate (${args.toDate}) must be on or after fromDate (${args.fromDate}) and at most ${MAX_SERIES_DAYS} days on`,
    );
  }
  const [days, scope] = await Promise.all([settlementDaysFor(ctx, args.fromDate, args.toDate), ctx.scope.load(mpanCore)]);
  const rows = await Promise.all(
    days.map((day) => ctx.loaders.series.load({ mpanCore, quantity: args.quantity, dayStart: day.utcStart, dayEnd: day.utcEnd })),
  );
  return days.flatMap((day, i) =>
    rows[i]
      .map((row) => toSeries(row, day, args.quantity, visibleRanges(scope, day)))
      .filter((series): series is ConsumptionSeries => series !== null),
  );
}
