import { randomUUID } from 'node:crypto';
import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, conflict, notFound, Reason, utcDateOf } from '../../core';
import { responsibleAt } from '../kit/scope';
import { writeMessages } from '../kit/outbox';
import type { MeteringDataLoaders } from './loaders';
import * as store from './store';
import { readRequestCancelled, readRequestRaised } from './read-request-messages';

type Context = SubgraphContext<MeteringDataLoaders>;

export interface RaiseReadRequestInput {
  mpanCore: string;
  meterId: string;
  reason: store.ReadRequest['reason'];
  meterReadingService: string;
  dueBy: Date;
}

export interface CancelReadRequestInput {
  readRequestId: string;
  reason?: string | null;
}

const DAY_MS = 86_400_000;
/** Latest `dueBy`, in days after the request. */
export const MAX_DUE_DAYS = 30;
/** A change-of-supplier read may be raised before the supply start or up to this many days after it. */
export const COS_READ_DAYS_AFTER_START = 14;
const MAX_REASON = 500;

const dayAfter = (day: string, days: number) => utcDateOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

interface MeterFacts {
  meters: { meterId: string; meterType: string }[] | null;
  meterReadingServiceRoles: string[] | null;
}

/** The meters at `at` and the proposed meter reading service's roles, asked of registration as the caller (PRI-001). */
async function askMeterFacts(ctx: Context, mpanCore: string, at: string, meterReadingService: string): Promise<MeterFacts> {
  const answer = await ctx.askSubgraph<{
    _entities: ({ meters: { meterId: string; meterType: string }[] } | null)[];
    marketParticipants: ({ roles: string[] } | null)[];
  }>(
    'registration',
    `query($r: [_Any!]!, $at: DateTime!, $mrs: ID!) {
      _entities(representations: $r) { ... on MeteringPoint { meters(at: $at) { meterId meterType } } }
      marketParticipants(ids: [$mrs]) { roles }
    }`,
    { r: [{ __typename: 'MeteringPoint', mpanCore }], at: `${at}T00:00:00.000Z`, mrs: meterReadingService },
  );
  return { meters: answer._entities[0]?.meters ?? null, meterReadingServiceRoles: answer.marketParticipants[0]?.roles ?? null };
}

/**
 * The day the read is for, when the caller may raise this request: today for a supplier registered now or the smart
 * data service appointed now; the supply start for a change-of-supplier read by the gaining supplier.
 */
async function readDayFor(ctx: Context, input: RaiseReadRequestInput, today: string): Promise<string> {
  const { role, participant } = ctx.caller;
  const notResponsible = () =>
    notFound(
      Reason.NOT_RESPONSIBLE_FOR_METERING_POINT,
      `${participant} is not the ${role} of ${input.mpanCore} today (${today}, UTC), or there is no such metering point: a read request is raised by the registered supplier or the appointed smart data service`,
    );
  if (input.reason !== 'CHANGE_OF_SUPPLIER') {
    if (!(await responsibleAt(input.mpanCore, ctx.now, ctx))) throw notResponsible();
    return today;
  }
  if (role !== 'SUPPLIER') {
    throw badUserInput(Reason.NOT_A_CHANGE_OF_SUPPLIER, 'a change-of-supplier read (CHANGE_OF_SUPPLIER) is raised by the gaining supplier');
  }
  const registrations = await ctx.responsibilities.periods('SUPPLIER', input.mpanCore);
  const own = registrations.filter((r) => r.holder === participant);
  if (own.length === 0) throw notResponsible();
  // The caller's registration that began with a change from another supplier, recently or still to come.
  const gained = own.find(
    (r) =>
      r.from >= dayAfter(today, -COS_READ_DAYS_AFTER_START) &&
      registrations.some((previous) => previous.holder !== participant && previous.to === r.from),
  );
  if (!gained) {
    throw badUserInput(
      Reason.NOT_A_CHANGE_OF_SUPPLIER,
      `${participant} has no supply start for ${input.mpanCore} that follows another supplier, from ${COS_READ_DAYS_AFTER_START} days ago (${dayAfter(today, -COS_READ_DAYS_AFTER_START)}) onwards: a change-of-supplier read is for a gaining supplier's supply start; raise NON_SMART_METER or SMART_COMMS_FAULT otherwise`,
    );
  }
  return gained.from > today ? gained.from : today;
}

/**
 * A supplier or the smart data service asks a meter reading service for an initial read (PRI-006): checked against
 * registration (the meter, the service's role) read now (PRI-001), then written with READ_REQUEST_RAISED in the meter
 * reading service's feed in one transaction. The meter reading service holds the metering point from today while it
 * is open (kit/responsibility.ts).
 */
export async function raiseReadRequest(ctx: Context, input: RaiseReadRequestInput): Promise<store.ReadRequest> {
  const now = ctx.now;
  const today = utcDateOf(now);
  if (!(input.dueBy.getTime() > now.getTime() && input.dueBy.getTime() <= now.getTime() + MAX_DUE_DAYS * DAY_MS)) {
    throw badUserInput(
      Reason.INVALID_DUE_BY,
      `dueBy ${input.dueBy.toISOString()} must be after now (${now.toISOString()}) and at most ${MAX_DUE_DAYS} days later`,
    );
  }
  const readDay = await readDayFor(ctx, input, today);
  const facts = await askMeterFacts(ctx, input.mpanCore, readDay, input.meterReadingService);
  if (!facts.meterReadingServiceRoles?.includes('METER_READING_SERVICE')) {
    throw badUserInput(
      Reason.NOT_A_METER_READING_SERVICE,
      `${input.meterReadingService} is not a market participant acting as METER_READING_SERVICE: name the MPID of a meter reading service`,
    );
  }
  const meter = facts.meters?.find((m) => m.meterId === input.meterId);
  if (!meter) {
    throw badUserInput(
      Reason.UNKNOWN_METER,
      `meter ${input.meterId} is not installed at ${input.mpanCore} on ${readDay} according to registration; name one of its registered meters`,
    );
  }
  const smart = meter.meterType === 'SMART';
  if ((input.reason === 'NON_SMART_METER' && smart) || (input.reason === 'SMART_COMMS_FAULT' && !smart)) {
    throw badUserInput(
      Reason.READ_REASON_NOT_FOR_METER,
      `meter ${input.meterId} is ${meter.meterType}: NON_SMART_METER is for a meter that is not smart, SMART_COMMS_FAULT for a smart one (PRI-006)`,
    );
  }

  const alreadyOpen = (open: store.ReadRequest | null) => {
    const own = open !== null && open.raisedBy === ctx.caller.participant && open.raisedByRole === ctx.caller.role;
    return conflict(
      Reason.READ_REQUEST_ALREADY_OPEN,
      `meter ${input.meterId} of ${input.mpanCore} already has an open read request${own ? ` (${open.id}, yours)` : ''}: one visit per read; cancel it or wait for its reading`,
    );
  };
  return ctx.db.transaction(async (tx) => {
    await store.lockMeteringPoints(tx, [input.mpanCore]);
    // One open request per meter, a second would send two visits for one read; checked under the metering point's lock,
    // and held by the database (migration 020) against a writer that does not take it.
    const open = await store.findOpenReadRequestOfMeter(tx, input.mpanCore, input.meterId);
    if (open) throw alreadyOpen(open);
    const request = await store
      .insertReadRequest(tx, {
        id: `RR-${randomUUID()}`,
        mpanCore: input.mpanCore,
        meterId: input.meterId,
        reason: input.reason,
        meterReadingServiceId: input.meterReadingService,
        requestedAt: now,
        dueBy: input.dueBy,
        raisedBy: ctx.caller.participant,
        raisedByRole: ctx.caller.role,
      })
      .catch((error: unknown) => {
        throw isOneOpenPerMeterViolation(error) ? alreadyOpen(null) : error;
      });
    await writeMessages(tx, 'metering_data', [readRequestRaised(request)], now);
    return request;
  });
}

/**
 * Whoever raised an open read request, in the role it raised it in, cancels it: CANCELLED with READ_REQUEST_CANCELLED
 * in the meter reading service's feed, in one transaction. The service then no longer sees the metering point.
 */
export async function cancelReadRequest(ctx: Context, input: CancelReadRequestInput): Promise<store.ReadRequest> {
  const { participant, role } = ctx.caller;
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > MAX_REASON) {
    throw badUserInput(Reason.RESPONSE_REASON_TOO_LONG, `reason must be at most ${MAX_REASON} characters, got ${reason.length}`);
  }
  const raisedByCaller = (q: store.ReadRequest | null): q is store.ReadRequest =>
    q !== null && q.raisedBy === participant && q.raisedByRole === role;
  const missing = () =>
    notFound(
      Reason.READ_REQUEST_NOT_FOUND,
      `read request "${input.readRequestId}" was not raised by ${participant} as ${role}: only whoever raised a read request can cancel it`,
    );
  return ctx.db.transaction(async (tx) => {
    const request = await store.findReadRequestForUpdate(tx, input.readRequestId);
    if (!raisedByCaller(request)) throw missing();
    if (request.status !== 'OPEN') {
      throw conflict(
        Reason.READ_REQUEST_NOT_OPEN,
        `read request ${request.id} is ${request.status}: only an OPEN read request can be cancelled`,
      );
    }
    const cancelled = await store.cancelReadRequest(tx, request.id, ctx.now, reason);
    await writeMessages(tx, 'metering_data', [readRequestCancelled(cancelled)], ctx.now);
    return cancelled;
  });
}

/** The unique index of migration 020 refused a second open request for a meter (PostgreSQL unique_violation). */
function isOneOpenPerMeterViolation(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === 'read_request_one_open_per_meter';
}
