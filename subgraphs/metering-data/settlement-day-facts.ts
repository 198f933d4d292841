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

/** A page of metering points and their registration facts, before the other owners' facts are added. */
export interface RegistrationFactsPage {
  /** The page's metering points, in MPAN order, each once. */
  mpanCores: string[];
  /** Facts by (MPAN, UTC day); `bmUnitId` and `dataServiceId` still null (`addOwnedFacts` fills them). */
  facts: DayFacts[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/**
 * The registration facts (supplier, GSP group, segment, energisation, direction) of a page of metering points on
 * `utcDays`: one bulk question to registration, asked as the caller, so its row scope holds (PRI-001: asked, not kept).
 */
export async function askRegistrationFacts(
  ctx: SubgraphContext<unknown>,
  page: { utcDays: readonly string[]; first: number; after: string | null },
): Promise<RegistrationFactsPage> {
  const { settlementFactsPage: answer } = await ctx.askSubgraph<FactsPageAnswer>(
    'registration',
    `query($onDates: [Date!]!, $first: Int!, $after: String) {
  settlementFactsPage(onDates: $onDates, first: $first, after: $after) {
    mpanCores onDates supplierIds gspGroupIds marketSegments energisationStatuses energyDirections endCursor hasNextPage
  }
}`,
    { onDates: page.utcDays, first: page.first, after: page.after },
  );
  const facts = answer.mpanCores.map((mpanCore, i): DayFacts => ({
    mpanCore,
    utcDay: answer.onDates[i],
    supplierId: answer.supplierIds[i],
    gspGroupId: answer.gspGroupIds[i],
    marketSegment: answer.marketSegments[i],
    energisationStatus: answer.energisationStatuses[i],
    energyDirection: answer.energyDirections[i],
    bmUnitId: null,
    dataServiceId: null,
  }));
  return { mpanCores: [...new Set(answer.mpanCores)], facts, endCursor: answer.endCursor, hasNextPage: answer.hasNextPage };
}

/**
 * Adds the BM unit (settlement's) and the appointed data service (appointment's) to facts, through the kit's batched
 * responsibility questions (one per owner and 5,000 metering points), asked as the caller at request time.
 */
export async function addOwnedFacts(ctx: SubgraphContext<unknown>, facts: readonly DayFacts[]): Promise<DayFacts[]> {
  const responsible = async (responsibility: Parameters<typeof ctx.responsibilities.heldAt>[0], mpanCore: string, day: string) =>
    (await ctx.responsibilities.heldAt(responsibility, mpanCore, day))?.holder ?? null;
  // One data service is appointed at a time; the first role with one is it (as the MDS job read `currentAppointments`).
  const dataService = async (mpanCore: string, day: string) => {
    const holders = await Promise.all(DATA_SERVICE_ROLES.map((role) => responsible(role, mpanCore, day)));
    return holders.find((holder) => holder !== null) ?? null;
  };
  return Promise.all(
    facts.map(async (f) => {
      const [bmUnitId, dataServiceId] = await Promise.all([
        responsible('BM_UNIT', f.mpanCore, f.utcDay),
        dataService(f.mpanCore, f.utcDay),
      ]);
      return { ...f, bmUnitId, dataServiceId };
    }),
  );
}
