import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, Reason } from '../../core';
import type { MeteringDataLoaders } from './loaders';
import * as store from './store';
import { askRegisteredMeteringPoints, STANDING_DATA } from './registration-facts';
import { checkIntervalAgainstRegistration, checkIntervalShape, IntervalInput, isRejection, Rejection } from './submission-checks';

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

  const written = accepted.length === 0 ? { unchanged: 0, newVersions: 0 } : await storeIntervals(ctx, accepted);
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
 * version, the current one superseded; new → version 1. Any failure rolls everything back.
 */
async function storeIntervals(ctx: Context, intervals: store.SubmittedInterval[]): Promise<{ unchanged: number; newVersions: number }> {
  return ctx.db.transaction(async (tx) => {
    await store.lockMeteringPoints(tx, [...new Set(intervals.map((i) => i.mpanCore))]);
    return store.storeIntervalVersions(tx, ctx.caller.participant, intervals, ctx.now);
  });
}
