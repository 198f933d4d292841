import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../kit/subgraph';
import { scalarResolvers, badUserInput, Reason, utcDateOf } from '../../core';
import { ALL_TIME, dayInScope, visibleMeteringPointReference } from '../kit/scope';
import type { MeteringDataLoaders } from './loaders';
import type { ConsumptionInterval, MeterReading, ReadingsKey, ReadRequest } from './store';
import type { IntervalInput } from './submission-checks';
import { submitConsumption } from './submit-consumption';
import { MeterReadingAnswer, RoutineReadingInput, submitMeterReading, submitMeterReadings } from './submit-meter-readings';
import { findMissingPeriods, MissingPeriodsArgs } from './missing-periods';
import { ConsumptionSeriesArgs, findConsumptionSeriesPage, findMeteringPointSeries } from './consumption-series';
import { cancelReadRequest, CancelReadRequestInput, raiseReadRequest, RaiseReadRequestInput } from './read-request-flows';
import * as store from './store';
import { settlementDayAggregation, type SettlementDayAggregationArgs } from './settlement-day-aggregation';
import type {
  MeteringPointConsumptionArgs,
  MeteringPointReadingsArgs,
  MeteringPointReadRequestsArgs,
  QueryReadRequestArgs,
  RequireFields,
} from './generated/resolvers-types';

type Context = SubgraphContext<MeteringDataLoaders>;

export const MAX_PAGE_SIZE = 2000;
export const MAX_READINGS = 500;

/** Arguments with an SDL default always arrive. */
type ConsumptionArgs = RequireFields<MeteringPointConsumptionArgs, 'from' | 'to' | 'quantity' | 'first'>;

/** Cursors are opaque to clients; inside they are the UTC start of the last interval returned. */
export function encodeCursor(utcStart: Date): string {
  return Buffer.from(utcStart.toISOString()).toString('base64url');
}

function decodeCursor(cursor: string): Date {
  const text = Buffer.from(cursor, 'base64url').toString();
  const decoded = new Date(text);
  // Only what encodeCursor wrote round-trips exactly; anything else is not one of our cursors.
  if (Number.isNaN(decoded.getTime()) || decoded.toISOString() !== text) {
    throw badUserInput(Reason.INVALID_CURSOR, `after: "${cursor}" is not a cursor returned by this API; pass a pageInfo.endCursor`);
  }
  return decoded;
}

function checkConsumptionArgs(args: ConsumptionArgs): void {
  if (args.from >= args.to) {
    throw badUserInput(
      Reason.INVALID_RANGE,
      `consumption: from (${args.from.toISOString()}) must be before to (${args.to.toISOString()}); ranges are [from, to) in UTC`,
    );
  }
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
    throw badUserInput(
      Reason.INVALID_PAGE_SIZE,
      `consumption: first must be between 1 and ${MAX_PAGE_SIZE}, got ${args.first}; page with after/endCursor`,
    );
  }
}

/**
 * Read requests the caller may see: a meter reading service only its own open ones (PRI-006); others those raised on
 * a day they were responsible for the metering point, so a former supplier or data service never sees its successor's.
 */
async function visibleReadRequests(requests: readonly ReadRequest[], ctx: Context): Promise<ReadRequest[]> {
  const { role, participant } = ctx.caller;
  if (role === 'METER_READING_SERVICE') return requests.filter((q) => q.status === 'OPEN' && q.meterReadingServiceId === participant);
  const scopes = await Promise.all(requests.map((q) => ctx.scope.load(q.mpanCore)));
  // Whoever raised a request sees it, also a gaining supplier that raised a change-of-supplier read before its start.
  const raisedByCaller = (q: ReadRequest) => q.raisedBy === participant && q.raisedByRole === role;
  return requests.filter((q, index) => raisedByCaller(q) || dayInScope(utcDateOf(q.requestedAt), scopes[index]));
}

async function visibleReadRequest(id: string, ctx: Context): Promise<ReadRequest | null> {
  const request = await ctx.loaders.readRequest.load(id);
  return request ? ((await visibleReadRequests([request], ctx))[0] ?? null) : null;
}

/** Readings are scoped like consumption: a former supplier or data service sees only readings of its own days. */
async function readingsKey(mpanCore: string, ctx: Context): Promise<ReadingsKey> {
  const scope = await ctx.scope.load(mpanCore);
  return { mpanCore, scope: scope === ALL_TIME ? null : scope };
}

export const meteringDataResolvers: GraphQLResolverMap<Context> = {
  ...scalarResolvers,
  Query: {
    readRequest: (_root, args: QueryReadRequestArgs, ctx: Context) => visibleReadRequest(args.id, ctx),
    missingPeriods: (_root, args: MissingPeriodsArgs, ctx: Context) => findMissingPeriods(ctx, args),
    readWorkList: (_root, _args, ctx: Context) => store.findWorkList(ctx.db, ctx.caller.participant),
    consumptionSeries: (_root, args: ConsumptionSeriesArgs, ctx: Context) => findConsumptionSeriesPage(ctx, args),
    settlementDayAggregation: (_root, args: SettlementDayAggregationArgs, ctx: Context) => settlementDayAggregation(args, ctx),
  },
  Mutation: {
    submitConsumption: (_root, args: { input: { intervals: IntervalInput[] } }, ctx: Context) =>
      submitConsumption(ctx, args.input.intervals),
    submitMeterReading: (_root, args: { input: MeterReadingAnswer }, ctx: Context) => submitMeterReading(ctx, args.input),
    submitMeterReadings: (_root, args: { input: { readings: RoutineReadingInput[] } }, ctx: Context) =>
      submitMeterReadings(ctx, args.input.readings),
    raiseReadRequest: (_root, args: { input: RaiseReadRequestInput }, ctx: Context) => raiseReadRequest(ctx, args.input),
    cancelReadRequest: (_root, args: { input: CancelReadRequestInput }, ctx: Context) => cancelReadRequest(ctx, args.input),
  },
  MeteringPoint: {
    // The registration subgraph owns metering points; this one only adds fields to the reference.
    __resolveReference: visibleMeteringPointReference,
    consumption: async (mp: { mpanCore: string }, args: ConsumptionArgs, ctx: Context) => {
      checkConsumptionArgs(args);
      const scope = await ctx.scope.load(mp.mpanCore);
      // One row more than the page tells whether another page follows.
      const rows = await ctx.loaders.consumptionPage.load({
        mpanCore: mp.mpanCore,
        quantity: args.quantity,
        from: args.from,
        to: args.to,
        after: args.after ? decodeCursor(args.after) : null,
        limit: args.first + 1,
        // A supplier or data service sees only the days of its registration or appointment ("for the period asked").
        scope: scope === ALL_TIME ? null : scope,
      });
      const page = rows.slice(0, args.first);
      // An edge's cursor is made only when asked for (ConsumptionEdge.cursor): a year paged through asks for none.
      const last = page.at(-1);
      return {
        edges: page.map((node) => ({ node })),
        pageInfo: { hasNextPage: rows.length > args.first, endCursor: last ? encodeCursor(last.utcStart) : null },
      };
    },
    consumptionSeries: (mp: { mpanCore: string }, args: { fromDate: string; toDate: string; quantity: string }, ctx: Context) =>
      findMeteringPointSeries(ctx, mp.mpanCore, args),
    readings: (mp: { mpanCore: string }, args: RequireFields<MeteringPointReadingsArgs, 'last'>, ctx: Context) => {
      if (!Number.isInteger(args.last) || args.last < 1 || args.last > MAX_READINGS) {
        throw badUserInput(Reason.INVALID_PAGE_SIZE, `readings: last must be between 1 and ${MAX_READINGS}, got ${args.last}`);
      }
      return readingsKey(mp.mpanCore, ctx).then((key) => ctx.loaders.currentReadings.load({ ...key, limit: args.last }));
    },
    readingHistory: async (mp: { mpanCore: string }, _args, ctx: Context) =>
      ctx.loaders.readingHistory.load(await readingsKey(mp.mpanCore, ctx)),
    readRequests: async (mp: { mpanCore: string }, args: MeteringPointReadRequestsArgs, ctx: Context) =>
      visibleReadRequests(await ctx.loaders.readRequestsByMpan.load({ mpanCore: mp.mpanCore, status: args.status ?? null }), ctx),
  },
  ConsumptionEdge: {
    cursor: (edge: { node: { utcStart: Date } }) => encodeCursor(edge.node.utcStart),
  },
  ConsumptionInterval: {
    dataService: (i: ConsumptionInterval) => ({ id: i.dataServiceId }),
    settlementPeriod: (i: ConsumptionInterval) => ({ utcStart: i.utcStart, periodMinutes: i.periodMinutes }),
    versions: (i: ConsumptionInterval, _args, ctx: Context) =>
      ctx.loaders.intervalVersions.load({ mpanCore: i.mpanCore, quantity: i.quantity, utcStart: i.utcStart }),
  },
  MeterReading: {
    submittedBy: (r: MeterReading) => ({ id: r.submittedBy }),
  },
  ReadRequest: {
    __resolveReference: (ref: { id: string }, ctx: Context) => visibleReadRequest(ref.id, ctx),
    meterReadingService: (q: ReadRequest) => ({ id: q.meterReadingServiceId }),
    raisedBy: (q: ReadRequest) => (q.raisedBy ? { id: q.raisedBy } : null),
  },
};
