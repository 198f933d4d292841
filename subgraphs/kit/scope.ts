import DataLoader from 'dataloader';
import { type InternalContext, type MarketRole, utcDateOf } from '../../core';
import { BEGINNING_OF_TIME, type Responsibilities, type Responsibility } from './responsibility';

/** UTC days [from, to) during which a caller may see a metering point's data; `to` null while open. */
export interface DayRange {
  from: string;
  to: string | null;
}

/** The whole life of a metering point. */
export const ALL_TIME: readonly DayRange[] = [{ from: BEGINNING_OF_TIME, to: null }];

/**
 * Which responsibility gives a role its row scope (README "Who may see what"): a participant sees a metering point
 * for the days it held that responsibility, and nothing outside them. Central services that need every metering point
 * see all; a role with no metering-point business sees none. Reviewed by the security group with the @access rules.
 */
export const SCOPE_RESPONSIBILITY: Readonly<Record<MarketRole, 'ALL' | 'NONE' | Responsibility>> = {
  REGISTRATION_SERVICE: 'ALL',
  MARKET_WIDE_DATA_SERVICE: 'ALL',
  SUPPLIER: 'SUPPLIER', // its supplier registrations, for their periods
  DISTRIBUTOR: 'DISTRIBUTOR', // the metering points on its network
  SMART_DATA_SERVICE: 'SMART_DATA_SERVICE', // its appointments in the role it acts in, for their periods
  ADVANCED_DATA_SERVICE: 'ADVANCED_DATA_SERVICE',
  UNMETERED_DATA_SERVICE: 'UNMETERED_DATA_SERVICE',
  SMART_METERING_SERVICE: 'SMART_METERING_SERVICE',
  ADVANCED_METERING_SERVICE: 'ADVANCED_METERING_SERVICE',
  METER_READING_SERVICE: 'METER_READING_SERVICE', // only while it has an open read request (PRI-006)
  VOLUME_ALLOCATION_SERVICE: 'NONE',
  CENTRAL_REGISTRATION_AGENT: 'NONE',
};

/**
 * The responsibility a proposed provider holds while its request is unanswered (IF-033): it sees the metering point and
 * its registration and meter data from the request's effective date, never its metering data (PRI-006).
 */
export const PROPOSAL_RESPONSIBILITY: Readonly<Partial<Record<MarketRole, Responsibility>>> = {
  SMART_DATA_SERVICE: 'PROPOSED_SMART_DATA_SERVICE',
  ADVANCED_DATA_SERVICE: 'PROPOSED_ADVANCED_DATA_SERVICE',
  UNMETERED_DATA_SERVICE: 'PROPOSED_UNMETERED_DATA_SERVICE',
  SMART_METERING_SERVICE: 'PROPOSED_SMART_METERING_SERVICE',
  ADVANCED_METERING_SERVICE: 'PROPOSED_ADVANCED_METERING_SERVICE',
};

/**
 * A per-request loader: MPAN core → the days the caller may see the metering point itself (not its data): its row
 * scope and, for a proposed provider, its unanswered requests from their effective dates (IF-033). Resolving a metering
 * point reached from an appointment request uses it, so the request can be read with the meter's data.
 */
export function createVisibilityLoader(
  caller: InternalContext,
  responsibilities: Responsibilities,
  scope: DataLoader<string, readonly DayRange[]>,
): DataLoader<string, readonly DayRange[]> {
  const proposal = PROPOSAL_RESPONSIBILITY[caller.role];
  return new DataLoader(async (mpanCores) => {
    const [scopes, proposals] = await Promise.all([
      scope.loadMany(mpanCores),
      Promise.all(mpanCores.map((mpanCore) => (proposal ? responsibilities.periods(proposal, mpanCore) : Promise.resolve([])))),
    ]);
    return mpanCores.map((_, index) => {
      const own = scopes[index];
      if (own instanceof Error) throw own;
      const proposed = proposals[index].filter((p) => p.holder === caller.participant).map(({ from, to }) => ({ from, to }));
      return [...own, ...proposed];
    });
  });
}

/**
 * A per-request loader: MPAN core → the day ranges the caller may see (empty: not visible, which must look exactly
 * like "not found"), from the periods of the caller's own responsibility (one question to its owner per batch).
 */
export function createScopeLoader(caller: InternalContext, responsibilities: Responsibilities): DataLoader<string, readonly DayRange[]> {
  return new DataLoader(async (mpanCores) => {
    const responsibility = SCOPE_RESPONSIBILITY[caller.role];
    if (responsibility === 'ALL') return mpanCores.map(() => ALL_TIME);
    if (responsibility === 'NONE') return mpanCores.map(() => []);
    const periods = await Promise.all(mpanCores.map((mpanCore) => responsibilities.periods(responsibility, mpanCore)));
    return periods.map((list) => list.filter((p) => p.holder === caller.participant).map(({ from, to }) => ({ from, to })));
  });
}

/** Whether a UTC day falls in any of the ranges. */
export function dayInScope(day: string, ranges: readonly DayRange[]): boolean {
  return ranges.some((range) => range.from <= day && (range.to === null || day < range.to));
}

/** Whether any range shares a day with [from, to) (`to` null: open). */
export function rangeInScope(from: string, to: string | null, ranges: readonly DayRange[]): boolean {
  return ranges.some((range) => (to === null || range.from < to) && (range.to === null || range.to > from));
}

/**
 * Whether the caller may see a metering point's state at `at` (default: the request's instant): only for instants it
 * was responsible (a former party keeps its own period, a future party waits for its start).
 */
export async function responsibleAt(
  mpanCore: string,
  at: Date | null | undefined,
  ctx: { scope: DataLoader<string, readonly DayRange[]>; now: Date },
): Promise<boolean> {
  return dayInScope(utcDateOf(at ?? ctx.now), await ctx.scope.load(mpanCore));
}

/**
 * A metering point reference resolved by a subgraph that extends MeteringPoint: the reference itself when the caller
 * may see the metering point (its visibility: row scope, or a pending request addressed to it), else null, so out of
 * scope looks exactly like not found. Its fields then apply the row scope themselves.
 */
export async function visibleMeteringPointReference<Ref extends { mpanCore: string }>(
  ref: Ref,
  ctx: { visibility: DataLoader<string, readonly DayRange[]> },
): Promise<Ref | null> {
  return (await ctx.visibility.load(ref.mpanCore)).length > 0 ? ref : null;
}
