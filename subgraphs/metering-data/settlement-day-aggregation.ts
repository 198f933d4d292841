import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, formatMicroUnits, Reason } from '../../core';
import { addOwnedFacts, askCalendarDay, askRegistrationFacts, utcDaysOf } from './settlement-day-facts';
import { aggregateSettlementDayPage, type DayAggregationRow, type DayFacts } from './settlement-day-store';

export const DEFAULT_AGGREGATION_PAGE = 20_000;
export const MAX_AGGREGATION_PAGE = 50_000;
/** Metering points whose owned facts are asked (and summed) together: the kit's question size. */
const FACT_SLICE = 5_000;

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
  const timing = { factsMs: 0, sqlMs: 0 };
  const timed = async <T>(part: keyof typeof timing, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timing[part] += performance.now() - started;
    }
  };
  const day = await timed('factsMs', () => askCalendarDay(ctx, args.settlementDate, args.periodMinutes));
  const page = await timed('factsMs', () =>
    askRegistrationFacts(ctx, { utcDays: utcDaysOf(day, args.periodMinutes), first: args.first, after: args.after ?? null }),
  );
  // Slice by slice, the next slice's facts are asked of their owners while the previous slice's SQL runs.
  const sums: Promise<DayAggregationRow[]>[] = [];
  const facts: DayFacts[] = [];
  for (let start = 0; start < page.mpanCores.length; start += FACT_SLICE) {
    const slice = new Set(page.mpanCores.slice(start, start + FACT_SLICE));
    const sliceFacts = await timed('factsMs', () =>
      addOwnedFacts(
        ctx,
        page.facts.filter((f) => slice.has(f.mpanCore)),
      ),
    );
    facts.push(...sliceFacts);
    const sum = timed('sqlMs', () =>
      aggregateSettlementDayPage(ctx.db, {
        facts: sliceFacts,
        mpanCores: [...slice],
        dayStart: day.utcStart,
        dayEnd: day.utcEnd,
        periodMinutes: args.periodMinutes,
        periodCount: day.periodCount,
      }),
    );
    // Settled when awaited below; until then a failure must not go unobserved.
    sum.catch(() => undefined);
    sums.push(sum);
  }
  const rows = mergeSlices((await Promise.all(sums)).flat());

  const periodStart = (p: number) => new Date(day.utcStart.getTime() + p * args.periodMinutes * 60_000).toISOString();
  const counts = rows.find((row) => row.kind === 'C');
  const factsByDay = new Map(facts.map((f) => [`${f.mpanCore}|${f.utcDay}`, f]));
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
      utcDays.some((d) => factsByDay.get(`${mpanCore}|${d}`)?.energyDirection === 'EXPORT'),
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
    factsMilliseconds: Math.round(timing.factsMs),
    // SQL of one slice overlaps the next slice's facts: this is the SQL's own time, summed over slices.
    sqlMilliseconds: Math.round(timing.sqlMs),
  };
}

/** The rows of several slices as one: volume groups of equal key and the counts added up; exception rows as they are. */
export function mergeSlices(rows: readonly DayAggregationRow[]): DayAggregationRow[] {
  const merged = new Map<string, DayAggregationRow>();
  const exceptions: DayAggregationRow[] = [];
  for (const row of rows) {
    if (row.kind === 'E') {
      exceptions.push(row);
      continue;
    }
    const key = row.kind === 'C' ? 'C' : [row.p, row.supplierId, row.gspGroupId, row.bmUnitId, row.marketSegment].join('|');
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...row });
      continue;
    }
    seen.a = (seen.a ?? 0) + (row.a ?? 0);
    seen.b = (seen.b ?? 0) + (row.b ?? 0);
    seen.c = row.c === null ? seen.c : (seen.c ?? 0) + row.c;
    seen.micro = row.micro === null ? seen.micro : String(BigInt(seen.micro ?? '0') + BigInt(row.micro));
  }
  return [...merged.values(), ...exceptions];
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
