import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, formatMicroUnits, Reason } from '../../core';
import { askCalendarDay, askFactsPage, utcDaysOf } from './settlement-day-facts';
import { aggregateSettlementDayPage, type DayAggregationRow } from './settlement-day-store';

export const DEFAULT_AGGREGATION_PAGE = 20_000;
export const MAX_AGGREGATION_PAGE = 50_000;

export interface SettlementDayAggregationArgs {
  settlementDate: string;
  periodMinutes: number;
  first: number;
  after?: string | null;
}

type ExceptionType = NonNullable<DayAggregationRow['exceptionType']>;

interface DayAggregationException {
  mpanCore: string;
  utcStart: string;
  exceptionType: ExceptionType;
  supplierId: string;
  dataServiceId: string;
  detail: string;
}

const isCursor = (cursor: string) =>
  /^\d{13}$/.test(Buffer.from(cursor, 'base64url').toString()) &&
  Buffer.from(Buffer.from(cursor, 'base64url').toString()).toString('base64url') === cursor;

/**
 * `Query.settlementDayAggregation`: one page of metering points (keyset by MPAN core) of one settlement day, aggregated
 * where the intervals are. The day comes from settlement's calendar, the facts from their owners (settlement-day-facts.ts),
 * the sums from one SQL statement (settlement-day-store.ts); only the groups and the exceptions leave the database, so
 * memory follows the page, not the market. Pages add up: summing every page's volumes per key gives the day's.
 */
export async function settlementDayAggregation(args: SettlementDayAggregationArgs, ctx: SubgraphContext<unknown>) {
  if (args.periodMinutes !== 30 && args.periodMinutes !== 15) {
    throw badUserInput(Reason.INVALID_PERIOD_LENGTH, `periodMinutes must be 30 or 15 (PRI-015), got ${args.periodMinutes}`);
  }
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_AGGREGATION_PAGE) {
    throw badUserInput(
      Reason.INVALID_PAGE_SIZE,
      `settlementDayAggregation: first must be between 1 and ${MAX_AGGREGATION_PAGE} metering points, got ${args.first}; page with after/endCursor`,
    );
  }
  if (args.after && !isCursor(args.after)) {
    throw badUserInput(
      Reason.INVALID_CURSOR,
      `after: "${args.after}" is not a cursor returned by settlementDayAggregation; pass its endCursor`,
    );
  }
  const factsStarted = performance.now();
  const day = await askCalendarDay(ctx, args.settlementDate, args.periodMinutes);
  const page = await askFactsPage(ctx, { utcDays: utcDaysOf(day, args.periodMinutes), first: args.first, after: args.after ?? null });
  const sqlStarted = performance.now();
  const rows =
    page.mpanCores.length === 0
      ? []
      : await aggregateSettlementDayPage(ctx.db, {
          facts: page.facts,
          mpanCores: page.mpanCores,
          dayStart: day.utcStart,
          dayEnd: day.utcEnd,
          periodMinutes: args.periodMinutes,
          periodCount: day.periodCount,
        });
  const sqlMilliseconds = performance.now() - sqlStarted;

  const periodStart = (p: number) => new Date(day.utcStart.getTime() + p * args.periodMinutes * 60_000).toISOString();
  const counts = rows.find((row) => row.kind === 'C');
  const facts = new Map(page.facts.map((f) => [`${f.mpanCore}|${f.utcDay}`, f]));
  const utcDays = utcDaysOf(day, args.periodMinutes);
  let unreportedExceptions = 0;
  const exceptions: DayAggregationException[] = [];
  for (const row of rows) {
    if (row.kind !== 'E') continue;
    // An exception goes to a supplier (as a count) and a data service (in detail, PRI-009): without both, nobody can act.
    if (!row.supplierId || !row.dataServiceId) {
      unreportedExceptions++;
      continue;
    }
    exceptions.push({
      mpanCore: row.mpanCore!,
      utcStart: periodStart(row.p!),
      exceptionType: row.exceptionType!,
      supplierId: row.supplierId,
      dataServiceId: row.dataServiceId,
      detail: exceptionDetail(row, args.periodMinutes),
    });
  }
  exceptions.sort(
    (a, b) => compare(a.utcStart, b.utcStart) || compare(a.mpanCore, b.mpanCore) || compare(a.exceptionType, b.exceptionType),
  );
  return {
    settlementDate: day.settlementDate,
    periodMinutes: args.periodMinutes,
    periodCount: day.periodCount,
    meteringPoints: page.mpanCores.length,
    intervals: counts?.a ?? 0,
    unsettledIntervals: counts?.b ?? 0,
    unattributedIntervals: counts?.c ?? 0,
    // Settlement aggregates import only: a metering point that is export on any day of the run is counted as such.
    exportMeteringPoints: page.mpanCores.filter((mpanCore) =>
      utcDays.some((d) => facts.get(`${mpanCore}|${d}`)?.energyDirection === 'EXPORT'),
    ).length,
    unreportedExceptions,
    volumes: rows
      .filter((row) => row.kind === 'V')
      .map((row) => ({
        utcStart: periodStart(row.p!),
        supplierId: row.supplierId!,
        gspGroupId: row.gspGroupId!,
        bmUnitId: row.bmUnitId!,
        marketSegment: row.marketSegment!,
        volume: formatMicroUnits(BigInt(row.micro!)),
        mpanCount: row.a! + row.b!,
        actualCount: row.a!,
        estimatedCount: row.b!,
      })),
    exceptions,
    endCursor: page.endCursor,
    hasNextPage: page.hasNextPage,
    factsMilliseconds: Math.round(sqlStarted - factsStarted),
    sqlMilliseconds: Math.round(sqlMilliseconds),
  };
}

/** The detail text of an exception, word for word as the MDS job writes it (clients/aggregate-volumes.ts). */
function exceptionDetail(row: DayAggregationRow, length: number): string {
  const number = row.p! + 1;
  switch (row.exceptionType!) {
    case 'DATA_FOR_DE_ENERGISED':
      return `Non-zero consumption (${formatMicroUnits(BigInt(row.micro!))} kWh) in settlement period ${number} for a de-energised MPAN: accepted and flagged (PRI-013)`;
    case 'DATA_SERVICE_NOT_APPOINTED':
      return `Data for settlement period ${number} came from ${row.dataServiceId}, but ${row.appointedDataServiceId} is the appointed data service`;
    case 'MISSING_DATA':
      if (row.b !== null)
        return `${row.b}-minute data received for settlement period ${number}; a ${length}-minute run needs data of at most ${length} minutes and does not split it (PRI-015)`;
      if (row.a! > 0)
        return `Data for ${row.a} of the ${length} minutes of settlement period ${number}: part of the period is missing (PRI-015); the data received is in the volume`;
      return `No data received for settlement period ${number}`;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
