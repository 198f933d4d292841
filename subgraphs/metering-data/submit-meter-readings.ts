import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, notFound, Reason, utcDateOf } from '../../core';
import { dayInScope } from '../kit/scope';
import type { MeteringDataLoaders } from './loaders';
import * as store from './store';
import { askRegisteredMeteringPoints, METERS, RegisteredMeteringPoint } from './registration-facts';
import { readingTimeProblem, readingValueProblem, Rejection } from './submission-checks';
import { writeMessages } from '../kit/outbox';
import { readRequestFulfilled } from './read-request-messages';

type Context = SubgraphContext<MeteringDataLoaders>;

/** At most this many routine readings per call. */
export const MAX_READINGS_PER_SUBMISSION = 5_000;

/** One routine reading from a data service. */
export interface RoutineReadingInput {
  mpanCore: string;
  meterId: string;
  registerId: string;
  value: string;
  readAt: Date;
  method: string;
  siteVisitCheckCode?: string | null;
}

/** A meter reading service's answer to one read request: a reading of the request's metering point. */
export type MeterReadingAnswer = Omit<RoutineReadingInput, 'mpanCore'> & { readRequestId: string };

export interface MeterReadingRejection extends Rejection {
  index: number;
  mpanCore: string;
  meterId: string;
  readAt: Date;
}

export interface MeterReadingSubmissionResult {
  accepted: number;
  unchanged: number;
  newVersions: number;
  rejected: number;
  rejections: MeterReadingRejection[];
}

/** The register digits of `meterId` as registration records it at the metering point, or undefined when not installed there. */
function registerDigitsOf(meteringPoint: RegisteredMeteringPoint | undefined, meterId: string): number | undefined {
  return meteringPoint?.meters?.find((meter) => meter.meterId === meterId)?.registerDigits;
}

/**
 * A meter reading service answers one of its open initial read requests (PRI-006): the reading is stored and the
 * request closed in one transaction, and the closed request is returned, never the reading.
 */
export async function submitMeterReading(ctx: Context, answer: MeterReadingAnswer): Promise<store.ReadRequest> {
  const { participant } = ctx.caller;
  const notOpen = () =>
    notFound(
      Reason.READ_REQUEST_NOT_FOUND,
      `read request "${answer.readRequestId}" is not an open read request of ${participant}; answer one listed by readRequests(status: OPEN)`,
    );
  const isOpenForCaller = (request: store.ReadRequest | null): request is store.ReadRequest =>
    request !== null && request.status === 'OPEN' && request.meterReadingServiceId === participant;

  const request = await ctx.loaders.readRequest.load(answer.readRequestId);
  if (!isOpenForCaller(request)) throw notOpen();
  const problem = checkAnswer(answer, request, ctx.now);
  if (problem) throw badUserInput(problem.reason, problem.message);
  // The register's size comes from registration, read now (PRI-001); while the request is open the caller sees it.
  const registered = (await askRegisteredMeteringPoints(ctx.askSubgraph, [request.mpanCore], METERS)).get(request.mpanCore);
  // Hidden from the caller now: another answer has just closed the request.
  if (!registered) throw notOpen();
  const registerDigits = registerDigitsOf(registered, answer.meterId);
  if (registerDigits === undefined) {
    throw badUserInput(
      Reason.UNKNOWN_METER,
      `meter ${answer.meterId} is not installed at ${request.mpanCore} according to registration; read the meter the request names`,
    );
  }
  const valueProblem = readingValueProblem(answer.value, registerDigits);
  if (valueProblem) throw badUserInput(valueProblem.reason, valueProblem.message);

  return ctx.db.transaction(async (tx) => {
    // Checked again under the row lock: of two answers sent at once, only the first closes the request.
    if (!isOpenForCaller(await store.findReadRequestForUpdate(tx, request.id))) throw notOpen();
    const reading: store.SubmittedReading = {
      mpanCore: request.mpanCore,
      meterId: answer.meterId,
      registerId: answer.registerId,
      readAt: answer.readAt,
      value: answer.value,
      method: answer.method,
      // A change-of-supplier read is the reading at the supply start, whoever takes it and how.
      event: request.reason === 'CHANGE_OF_SUPPLIER' ? 'READING_COS' : answer.method === 'PHYSICAL' ? 'READING_ONSITE' : 'ROUTINE',
      siteVisitCheckCode: answer.siteVisitCheckCode ?? null,
      readRequestId: request.id,
    };
    await store.lockMeteringPoints(tx, [request.mpanCore]);
    const [current] = await store.findCurrentReadingVersions(tx, participant, [reading]);
    await store.writeReadingVersions(tx, participant, [{ ...reading, version: current ? current.version + 1 : 1 }], ctx.now);
    const fulfilled = await store.fulfilReadRequest(tx, request.id, ctx.now);
    const told = readRequestFulfilled(fulfilled);
    await writeMessages(tx, 'metering_data', told ? [told] : [], ctx.now);
    return fulfilled;
  });
}

/** The rules of an initial read by a meter reading service, on the answer and its request alone. */
function checkAnswer(answer: MeterReadingAnswer, request: store.ReadRequest, now: Date): Rejection | null {
  if (answer.meterId !== request.meterId) {
    return {
      reason: Reason.METER_MISMATCH,
      message: `read request ${request.id} asks for meter ${request.meterId}, not ${answer.meterId}; read the meter the request names`,
    };
  }
  if (answer.method === 'REMOTE') {
    return {
      reason: Reason.INVALID_READING_METHOD,
      message: "a meter reading service reads on site (PHYSICAL) or takes a CUSTOMER read; a REMOTE read is the data service's (PRI-006)",
    };
  }
  if (answer.method === 'PHYSICAL' && !answer.siteVisitCheckCode?.trim()) {
    return { reason: Reason.SITE_VISIT_CHECK_CODE_REQUIRED, message: 'a PHYSICAL read needs the siteVisitCheckCode of the visit' };
  }
  if (answer.readAt < request.requestedAt) {
    return {
      reason: Reason.READING_BEFORE_REQUEST,
      message: `readAt ${answer.readAt.toISOString()} is before the request was raised (${request.requestedAt.toISOString()}); an initial read is taken after the request, never an earlier reading (PRI-006)`,
    };
  }
  return readingTimeProblem(answer.readAt, now) ?? readingValueProblem(answer.value, null);
}

/**
 * Routine readings from a data service for metering points it is appointed to on the reading's UTC day: checked
 * against the caller's appointments and the meters registration records, stored in one transaction.
 */
export async function submitMeterReadings(ctx: Context, readings: readonly RoutineReadingInput[]): Promise<MeterReadingSubmissionResult> {
  if (readings.length > MAX_READINGS_PER_SUBMISSION) {
    throw badUserInput(
      Reason.SUBMISSION_TOO_LARGE,
      `submitMeterReadings: at most ${MAX_READINGS_PER_SUBMISSION} readings per call, got ${readings.length}; split them into several calls`,
    );
  }
  const now = ctx.now;
  const rejections: MeterReadingRejection[] = [];
  const reject = (index: number, rejection: Rejection) => {
    const { mpanCore, meterId, readAt } = readings[index];
    rejections.push({ index, mpanCore, meterId, readAt, ...rejection });
  };

  const firstIndexOf = new Map<string, number>();
  const shaped: number[] = [];
  readings.forEach((reading, index) => {
    const key = `${reading.mpanCore}|${reading.meterId}|${reading.registerId}|${reading.readAt.getTime()}`;
    const first = firstIndexOf.get(key);
    if (first !== undefined) {
      reject(index, {
        reason: Reason.DUPLICATE_IN_SUBMISSION,
        message: `the reading of ${reading.mpanCore} meter ${reading.meterId} register ${reading.registerId} at ${reading.readAt.toISOString()} is already at index ${first} of this submission; send each reading once`,
      });
      return;
    }
    firstIndexOf.set(key, index);
    const problem = readingTimeProblem(reading.readAt, now) ?? readingValueProblem(reading.value, null);
    if (problem) reject(index, problem);
    else shaped.push(index);
  });

  const mpanCores = [...new Set(shaped.map((index) => readings[index].mpanCore))];
  const scopeList = await Promise.all(mpanCores.map((mpan) => ctx.scope.load(mpan)));
  const scopeOf = new Map(mpanCores.map((mpan, i) => [mpan, scopeList[i]]));
  const registered = await askRegisteredMeteringPoints(
    ctx.askSubgraph,
    mpanCores.filter((mpan) => scopeOf.get(mpan)!.length > 0),
    METERS,
  );

  const accepted: store.SubmittedReading[] = [];
  for (const index of shaped) {
    const reading = readings[index];
    const day = utcDateOf(reading.readAt);
    const meteringPoint = registered.get(reading.mpanCore);
    if (!dayInScope(day, scopeOf.get(reading.mpanCore)!) || !meteringPoint) {
      reject(index, {
        reason: Reason.NOT_APPOINTED,
        message: `${ctx.caller.participant} is not the ${ctx.caller.role} appointed to ${reading.mpanCore} on ${day} (UTC), or no such MPAN is registered; readings are accepted only for the days of an accepted appointment`,
      });
      continue;
    }
    const registerDigits = registerDigitsOf(meteringPoint, reading.meterId);
    if (registerDigits === undefined) {
      reject(index, {
        reason: Reason.UNKNOWN_METER,
        message: `meter ${reading.meterId} is not installed at ${reading.mpanCore} according to registration; send readings of its registered meters`,
      });
      continue;
    }
    const valueProblem = readingValueProblem(reading.value, registerDigits);
    if (valueProblem) {
      reject(index, valueProblem);
      continue;
    }
    accepted.push({ ...reading, event: 'ROUTINE', siteVisitCheckCode: reading.siteVisitCheckCode ?? null, readRequestId: null });
  }

  const written = accepted.length === 0 ? { unchanged: 0, newVersions: 0 } : await storeReadings(ctx, accepted);
  rejections.sort((a, b) => a.index - b.index);
  return { accepted: accepted.length, ...written, rejected: rejections.length, rejections };
}

/** Stores routine readings in one transaction: identical → nothing, corrected → next version, new → version 1. */
async function storeReadings(ctx: Context, readings: store.SubmittedReading[]): Promise<{ unchanged: number; newVersions: number }> {
  const submittedBy = ctx.caller.participant;
  return ctx.db.transaction(async (tx) => {
    await store.lockMeteringPoints(tx, [...new Set(readings.map((r) => r.mpanCore))]);
    const current = new Map((await store.findCurrentReadingVersions(tx, submittedBy, readings)).map((row) => [row.ord - 1, row]));
    let unchanged = 0;
    let newVersions = 0;
    const toWrite: (store.SubmittedReading & { version: number })[] = [];
    readings.forEach((reading, position) => {
      const existing = current.get(position);
      if (existing?.identical) unchanged++;
      else if (existing) {
        newVersions++;
        toWrite.push({ ...reading, version: existing.version + 1 });
      } else toWrite.push({ ...reading, version: 1 });
    });
    await store.writeReadingVersions(tx, submittedBy, toWrite, ctx.now);
    return { unchanged, newVersions };
  });
}
