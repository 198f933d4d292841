import type { SubgraphContext } from '../kit/subgraph';
import { DATA_SERVICE_ROLES } from '../../core';
import type { DayFacts } from './settlement-day-store';

/** A settlement day as the settlement subgraph's calendar gives it (clock time lives only there, PRI-014). */
export interface CalendarDay {
  settlementDate: string;
  utcStart: Date;
  utcEnd: Date;
  periodCount: number;
}

/** Asks settlement for the UTC range and periods of a settlement date; its refusals (a bad date) are the caller's. */
export async function askCalendarDay(ctx: SubgraphContext<unknown>, settlementDate: string, periodMinutes: number): Promise<CalendarDay> {
  const { settlementDay } = await ctx.askSubgraph<{
    settlementDay: { settlementDate: string; utcStart: string; utcEnd: string; periodCount: number };
  }>(
    'settlement',
    `query($settlementDate: Date!, $periodMinutes: Int!) {
  settlementDay(settlementDate: $settlementDate, periodMinutes: $periodMinutes) { settlementDate utcStart utcEnd periodCount }
}`,
    { settlementDate, periodMinutes },
  );
  return { ...settlementDay, utcStart: new Date(settlementDay.utcStart), utcEnd: new Date(settlementDay.utcEnd) };
}

/** The UTC days the periods of a day start on: registration facts are effective by UTC day (PRI-018). */
export function utcDaysOf(day: CalendarDay, periodMinutes: number): string[] {
  const days = new Set<string>();
  for (let p = 0; p < day.periodCount; p++)
    days.add(new Date(day.utcStart.getTime() + p * periodMinutes * 60_000).toISOString().slice(0, 10));
  return [...days];
}

interface FactsPageAnswer {
  settlementFactsPage: {
    mpanCores: string[];
    onDates: string[];
    supplierIds: (string | null)[];
    gspGroupIds: (string | null)[];
    marketSegments: (string | null)[];
    energisationStatuses: (string | null)[];
    energyDirections: (string | null)[];
    endCursor: string | null;
    hasNextPage: boolean;
  };
}

export interface FactsPage {
  /** The page's metering points, in MPAN order, each once. */
  mpanCores: string[];
  facts: DayFacts[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/**
 * The responsibility facts of a page of metering points on `utcDays`, each from its owner at request time and kept only
 * for this request (PRI-001, PRI-004): supplier, GSP group, segment, energisation and direction from registration (one
 * bulk question), the BM unit from settlement and the appointed data service from appointment (the kit's batched
 * responsibility questions, one per owner and 5,000 metering points). All are asked as the caller, so its row scope holds.
 */
export async function askFactsPage(
  ctx: SubgraphContext<unknown>,
  page: { utcDays: readonly string[]; first: number; after: string | null },
): Promise<FactsPage> {
  const { settlementFactsPage: answer } = await ctx.askSubgraph<FactsPageAnswer>(
    'registration',
    `query($onDates: [Date!]!, $first: Int!, $after: String) {
  settlementFactsPage(onDates: $onDates, first: $first, after: $after) {
    mpanCores onDates supplierIds gspGroupIds marketSegments energisationStatuses energyDirections endCursor hasNextPage
  }
}`,
    { onDates: page.utcDays, first: page.first, after: page.after },
  );
  const responsible = async (responsibility: Parameters<typeof ctx.responsibilities.heldAt>[0], mpanCore: string, day: string) =>
    (await ctx.responsibilities.heldAt(responsibility, mpanCore, day))?.holder ?? null;
  // One data service is appointed at a time; the first role with one is it (as the MDS job read `currentAppointments`).
  const dataService = async (mpanCore: string, day: string) => {
    const holders = await Promise.all(DATA_SERVICE_ROLES.map((role) => responsible(role, mpanCore, day)));
    return holders.find((holder) => holder !== null) ?? null;
  };
  const owned = await Promise.all(
    answer.mpanCores.map((mpanCore, i) =>
      Promise.all([responsible('BM_UNIT', mpanCore, answer.onDates[i]), dataService(mpanCore, answer.onDates[i])]),
    ),
  );
  const facts = answer.mpanCores.map((mpanCore, i): DayFacts => ({
    mpanCore,
    utcDay: answer.onDates[i],
    supplierId: answer.supplierIds[i],
    gspGroupId: answer.gspGroupIds[i],
    marketSegment: answer.marketSegments[i],
    energisationStatus: answer.energisationStatuses[i],
    energyDirection: answer.energyDirections[i],
    bmUnitId: owned[i][0],
    dataServiceId: owned[i][1],
  }));
  return { mpanCores: [...new Set(answer.mpanCores)], facts, endCursor: answer.endCursor, hasNextPage: answer.hasNextPage };
}
