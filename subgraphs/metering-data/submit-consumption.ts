import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, Reason } from '../../core';
import type { MeteringDataLoaders } from './loaders';
import * as store from './store';
import { askRegisteredMeteringPoints, STANDING_DATA } from './registration-facts';
import { checkIntervalAgainstRegistration, checkIntervalShape, IntervalInput, isRejection, Rejection } from './submission-checks';
import { askSettlementDays, settlementDayFinder, type SettlementDayRange } from './settlement-days';
import {
  assertOneLengthPerMpanDay,
  groupByMpanDay,
  mpanDayKey,
  replacesOtherLength,
  type MpanDay,
  type StoredLengths,
} from './one-period-length';

type Context = SubgraphContext<MeteringDataLoaders>;

/** At most this many intervals per call: enough for a day of 30-minute data for about a thousand metering points. */
export const MAX_INTERVALS_PER_SUBMISSION = 50_000;

export interface ConsumptionRejection extends Rejection {
  index: number;
  mpanCore: string;
  utcStart: Date;
}

export interface ConsumptionSubmissionResult {
  accepted: number;
  unchanged: number;
  newVersions: number;
  deEnergisedFlagged: number;
  rejected: number;
  rejections: ConsumptionRejection[];
}

const intervalKey = (i: IntervalInput) => `${i.mpanCore}|${i.quantity}|${i.utcStart.getTime()}`;

/**
 * Checks every interval of a submission and stores the accepted ones in one transaction (PRI-019). Registration facts
 * are read once per submission, not per interval: one scope look-up and one ask to registration for all MPANs.
 */
export async function submitConsumption(ctx: Context, intervals: readonly IntervalInput[]): Promise<ConsumptionSubmissionResult> {
  if (intervals.length > MAX_INTERVALS_PER_SUBMISSION) {
    throw badUserInput(
      Reason.SUBMISSION_TOO_LARGE,
      `submitConsumption: at most ${MAX_INTERVALS_PER_SUBMISSION} intervals per call, got ${intervals.length}; split the data into several calls`,
    );
  }
  const now = ctx.now;
  const rejections: ConsumptionRejection[] = [];
  const reject = (index: number, rejection: Rejection) =>
    rejections.push({ index, mpanCore: intervals[index].mpanCore, utcStart: intervals[index].utcStart, ...rejection });

  // Checks on each interval alone; an interval sent twice keeps its first occurrence.
  const firstIndexOf = new Map<string, number>();
  const shaped: number[] = [];
  intervals.forEach((interval, index) => {
    const key = intervalKey(interval);
    const first = firstIndexOf.get(key);
    if (first !== undefined) {
      reject(index, {
        reason: Reason.DUPLICATE_IN_SUBMISSION,
        message: `${interval.mpanCore} ${interval.quantity} at ${interval.utcStart.toISOString()} is already at index ${first} of this submission; send each interval once`,
      });
      return;
    }
    firstIndexOf.set(key, index);
    const problem = checkIntervalShape(interval, now);
    if (problem) reject(index, problem);
    else shaped.push(index);
  });

  // One period length per MPAN and settlement day (PRI-015); the settlement subgraph says where each day starts.
  const days =
    shaped.length === 0
      ? []
      : await askSettlementDays(
          ctx.askSubgraph,
          shaped.map((index) => intervals[index].utcStart),
        );
  const dayOf = settlementDayFinder(days);
  assertOneLengthPerMpanDay(
    groupByMpanDay(
      shaped.map((index) => intervals[index]),
      dayOf,
    ).values(),
  );

  // The caller's appointment days per MPAN (one look-up), then standing data of those it is appointed to (one ask).
  const mpanCores = [...new Set(shaped.map((index) => intervals[index].mpanCore))];
  const scopeList = await Promise.all(mpanCores.map((mpan) => ctx.scope.load(mpan)));
  const scopeOf = new Map(mpanCores.map((mpan, i) => [mpan, scopeList[i]]));
  const registered = await askRegisteredMeteringPoints(
    ctx.askSubgraph,
    mpanCores.filter((mpan) => scopeOf.get(mpan)!.length > 0),
    STANDING_DATA,
  );

  const accepted: store.SubmittedInterval[] = [];
  for (const index of shaped) {
    const interval = intervals[index];
    const outcome = checkIntervalAgainstRegistration(interval, ctx.caller, {
      scope: scopeOf.get(interval.mpanCore)!,
      standingDataHistory: registered.get(interval.mpanCore)?.standingDataHistory ?? null,
    });
    if (isRejection(outcome)) {
      reject(index, outcome);
      continue;
    }
    accepted.push({
      mpanCore: interval.mpanCore,
      quantity: interval.quantity,
      utcStart: interval.utcStart,
      periodMinutes: interval.periodMinutes,
      value: interval.value,
      quality: interval.quality,
      estimationMethod: interval.estimationMethod ?? null,
      deEnergisedFlag: outcome.deEnergisedFlag,
    });
  }

  const written = accepted.length === 0 ? { unchanged: 0, newVersions: 0 } : await storeIntervals(ctx, accepted, dayOf);
  rejections.sort((a, b) => a.index - b.index);
  return {
    accepted: accepted.length,
    ...written,
    deEnergisedFlagged: accepted.filter((i) => i.deEnergisedFlag).length,
    rejected: rejections.length,
    rejections,
  };
}

/**
 * Stores accepted intervals in one transaction: identical to the current version → nothing; different → the next
 * version, the current one superseded; new → version 1. Before that, each MPAN and settlement day is checked against
 * the period length stored current for it (PRI-015): another length is superseded by a whole-day replacement and
 * refuses the call otherwise. Any failure or refusal rolls everything back.
 */
async function storeIntervals(
  ctx: Context,
  intervals: store.SubmittedInterval[],
  dayOf: (instant: Date) => SettlementDayRange,
): Promise<{ unchanged: number; newVersions: number }> {
  const groups = [...groupByMpanDay(intervals, dayOf).values()];
  const sent = sentPerQuantity(intervals, dayOf);
  // The month partitions the rows land in, created first in a short transaction of their own (storage: README).
  let first = intervals[0].utcStart;
  let last = first;
  for (const { utcStart } of intervals) {
    if (utcStart < first) first = utcStart;
    if (utcStart > last) last = utcStart;
  }
  await store.ensureIntervalPartitions(ctx.db, first, new Date(last.getTime() + 1));
  return ctx.db.transaction(async (tx) => {
    await store.lockMeteringPoints(tx, [...new Set(intervals.map((i) => i.mpanCore))]);
    const replaced = await replaceOtherPeriodLengths(tx, groups, sent, ctx.now);
    return store.storeIntervalVersions(tx, ctx.caller.participant, intervals, ctx.now, replaced);
  });
}

/** Accepted intervals per MPAN, settlement day and quantity. */
function sentPerQuantity(intervals: readonly store.SubmittedInterval[], dayOf: (instant: Date) => SettlementDayRange) {
  const counts = new Map<string, Map<string, number>>();
  for (const interval of intervals) {
    const key = mpanDayKey(interval.mpanCore, dayOf(interval.utcStart).settlementDate);
    let perQuantity = counts.get(key);
    if (!perQuantity) counts.set(key, (perQuantity = new Map()));
    perQuantity.set(interval.quantity, (perQuantity.get(interval.quantity) ?? 0) + 1);
  }
  return counts;
}

/**
 * Compares each MPAN and day with what is stored current for it, under the lock, and supersedes replaced days;
 * returns the replaced MPAN-days.
 */
async function replaceOtherPeriodLengths(
  tx: Parameters<typeof store.countCurrentIntervalsByLength>[0],
  groups: readonly MpanDay[],
  sent: ReadonlyMap<string, ReadonlyMap<string, number>>,
  now: Date,
): Promise<store.MpanRange[]> {
  const ranges = groups.map((g) => ({ mpanCore: g.mpanCore, from: g.day.utcStart, to: g.day.utcEnd }));
  const stored = new Map<number, StoredLengths[]>();
  for (const row of await store.countCurrentIntervalsByLength(tx, ranges)) stored.set(row.ord, [...(stored.get(row.ord) ?? []), row]);
  const replaced: (store.MpanRange & { keepPeriodMinutes: number })[] = [];
  groups.forEach((group, i) => {
    const length = [...group.lengths][0];
    const storedHere = stored.get(i + 1) ?? [];
    const perQuantity = sent.get(mpanDayKey(group.mpanCore, group.day.settlementDate)) ?? new Map<string, number>();
    if (replacesOtherLength(group.mpanCore, group.day, length, storedHere, perQuantity)) {
      replaced.push({ ...ranges[i], keepPeriodMinutes: length });
    }
  });
  await store.supersedeOtherPeriodLengths(tx, replaced, now);
  return replaced;
}
