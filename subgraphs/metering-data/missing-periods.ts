import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, Reason } from '../../core';
import type { DayRange } from '../kit/scope';
import type { MeteringDataLoaders } from './loaders';
import * as store from './store';
import { alignmentProblem, SHORTEST_PERIOD_MINUTES, periodLengthProblem } from './submission-checks';
import type { QueryMissingPeriodsArgs, RequireFields } from './generated/resolvers-types';

type Context = SubgraphContext<MeteringDataLoaders>;

/** The longest range one completeness check covers. */
export const MAX_COMPLETENESS_DAYS = 31;
/** The most metering points a check may name. */
export const MAX_COMPLETENESS_MPANS = 500;

const DAY = 86_400_000;

/** Arguments with an SDL default always arrive. */
export type MissingPeriodsArgs = RequireFields<QueryMissingPeriodsArgs, 'from' | 'to' | 'periodMinutes' | 'quantity'>;

export interface MissingPeriods {
  mpanCore: string;
  periodMinutes: number;
  count: number;
  ranges: { from: Date; to: Date; periods: number }[];
}

function checkArgs(args: MissingPeriodsArgs): void {
  const problem =
    periodLengthProblem(args.periodMinutes) ??
    alignmentProblem('from', args.from, args.periodMinutes) ??
    alignmentProblem('to', args.to, args.periodMinutes);
  if (problem) throw badUserInput(problem.reason, `missingPeriods: ${problem.message}`);
  if (args.from >= args.to || args.to.getTime() - args.from.getTime() > MAX_COMPLETENESS_DAYS * DAY) {
    throw badUserInput(
      Reason.INVALID_RANGE,
      `missingPeriods: from (${args.from.toISOString()}) must be before to (${args.to.toISOString()}) and at most ${MAX_COMPLETENESS_DAYS} days before it; ranges are [from, to) in UTC`,
    );
  }
  if (args.mpanCores && args.mpanCores.length > MAX_COMPLETENESS_MPANS) {
    throw badUserInput(
      Reason.TOO_MANY_KEYS,
      `missingPeriods: mpanCores: at most ${MAX_COMPLETENESS_MPANS} per call, got ${args.mpanCores.length}`,
    );
  }
}

/**
 * The UTC windows of [from, end) that fall on the caller's appointment days, merged where they touch. Day boundaries
 * are whole periods, so the windows stay aligned.
 */
export function appointedWindows(ranges: readonly DayRange[], from: Date, end: Date): { from: Date; to: Date }[] {
  const clipped = ranges
    .map((range) => ({
      from: new Date(Math.max(from.getTime(), Date.parse(`${range.from}T00:00:00Z`))),
      to: new Date(Math.min(end.getTime(), range.to === null ? Infinity : Date.parse(`${range.to}T00:00:00Z`))),
    }))
    .filter((w) => w.from < w.to)
    .sort((a, b) => a.from.getTime() - b.from.getTime());
  const merged: { from: Date; to: Date }[] = [];
  for (const window of clipped) {
    const last = merged.at(-1);
    if (last && window.from <= last.to) last.to = new Date(Math.max(last.to.getTime(), window.to.getTime()));
    else merged.push({ ...window });
  }
  return merged;
}

/**
 * A data service's completeness check (PRI-010): per metering point it is appointed to, the ended periods of [from, to)
 * within its appointment days that have no current interval. The candidates are the named MPAN cores, else the
 * metering points the appointment subgraph says the caller is appointed to in the range (asked as the caller, so an
 * appointed MPAN with no data at all is still checked); the caller's row scope then gives their days.
 */
/** The MPAN cores the caller is appointed to on any UTC day touched by [from, to), from the appointment subgraph. */
async function appointedMpans(ctx: Context, from: Date, to: Date): Promise<string[]> {
  const dayAfter = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate() + 1));
  const answer = await ctx.askSubgraph<{ myAppointments: { meteringPoint: { mpanCore: string } }[] }>(
    'appointment',
    'query($from: Date!, $to: Date!) { myAppointments(from: $from, to: $to) { meteringPoint { mpanCore } } }',
    { from: from.toISOString().slice(0, 10), to: dayAfter.toISOString().slice(0, 10) },
  );
  return answer.myAppointments.map((a) => a.meteringPoint.mpanCore);
}

export async function findMissingPeriods(ctx: Context, args: MissingPeriodsArgs): Promise<MissingPeriods[]> {
  checkArgs(args);
  const candidates = [...new Set(args.mpanCores ?? (await appointedMpans(ctx, args.from, args.to)))];
  const scopes = await Promise.all(candidates.map((mpan) => ctx.scope.load(mpan)));
  // A period still running is not missing: the check ends at the start of the period in progress.
  const length = args.periodMinutes * 60_000;
  const end = new Date(Math.min(args.to.getTime(), Math.floor(ctx.now.getTime() / length) * length));
  const windows = candidates.flatMap((mpanCore, i) => appointedWindows(scopes[i], args.from, end).map((w) => ({ mpanCore, ...w })));
  if (windows.length === 0) return [];

  const runs = await store.findMissingPeriodRuns(ctx.db, windows, args.quantity, args.periodMinutes, SHORTEST_PERIOD_MINUTES);
  const byMpan = new Map<string, MissingPeriods>();
  for (const run of runs) {
    let entry = byMpan.get(run.mpanCore);
    if (!entry) byMpan.set(run.mpanCore, (entry = { mpanCore: run.mpanCore, periodMinutes: args.periodMinutes, count: 0, ranges: [] }));
    entry.count += run.periods;
    entry.ranges.push({ from: run.from, to: run.to, periods: run.periods });
  }
  return [...byMpan.values()];
}
