import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../kit/subgraph';
import { scalarResolvers, parseDateTime, isDataServiceRole } from '../../core';
import { responsibleAt, visibleMeteringPointReference } from '../kit/scope';
import { allocateBmUnit, AllocateBmUnitInput } from './bm-unit-allocation';
import type { SettlementLoaders } from './loaders';
import * as store from './store';
import { settlementDay, settlementPeriodOf, periodStartUtc } from './settlement-calendar';
import { usingCalendar } from './calendar-errors';
import { AggregationSubmission, submitAggregation } from './aggregation-submission';
import type {
  MeteringPointBmUnitAllocationArgs,
  QuerySettlementDayArgs,
  QuerySettlementPeriodArgs,
  QuerySettlementRunArgs,
  QuerySettlementRunsArgs,
  RequireFields,
  SettlementRunAggregatedVolumesArgs,
} from './generated/resolvers-types';

type Context = SubgraphContext<SettlementLoaders>;

/** An input whose optional fields a client may also send as null. */
type NullableFields<T, K extends keyof T> = Omit<T, K> & { [P in K]?: T[P] | null };

/** A settlement period from a UTC start; entity references arrive as JSON, so the start may still be a string. */
const periodAt = (utcStart: Date | string, periodMinutes: number) =>
  usingCalendar(() => settlementPeriodOf(utcStart instanceof Date ? utcStart : parseDateTime(utcStart), periodMinutes));

const participantRef = (id: string) => ({ id });
const gspGroupRef = (row: { gspGroupId: string }) => ({ id: row.gspGroupId });

/** Row scope of settlement results: a supplier sees its own rows, a data service the rows of its data. */
function ownRows<R extends { supplierId: string; dataServiceId?: string }>(rows: readonly R[], ctx: Context): R[] {
  const { role, participant } = ctx.caller;
  if (role === 'SUPPLIER') return rows.filter((row) => row.supplierId === participant);
  if (isDataServiceRole(role)) return rows.filter((row) => row.dataServiceId === participant);
  return [...rows];
}

/** Adds up exception counts per supplier and type, after scoping the per-data-service rows. */
function sumBySupplierAndType(rows: readonly store.ExceptionCount[]): store.ExceptionCount[] {
  const totals = new Map<string, store.ExceptionCount>();
  for (const row of rows) {
    const key = `${row.supplierId}|${row.exceptionType}`;
    const total = totals.get(key);
    if (total) total.count += row.count;
    else totals.set(key, { ...row });
  }
  return [...totals.values()];
}

export const settlementResolvers: GraphQLResolverMap<Context> = {
  ...scalarResolvers,
  Query: {
    settlementPeriod: (_root, args: RequireFields<QuerySettlementPeriodArgs, 'utcStart' | 'periodMinutes'>) =>
      periodAt(args.utcStart, args.periodMinutes),
    settlementDay: (_root, args: RequireFields<QuerySettlementDayArgs, 'settlementDate' | 'periodMinutes'>) =>
      usingCalendar(() => settlementDay(args.settlementDate, args.periodMinutes)),
    settlementRuns: (_root, args: QuerySettlementRunsArgs, ctx: Context) =>
      store.findRuns(ctx.db, { settlementDate: args.settlementDate, runType: args.runType }),
    settlementRun: (_root, args: QuerySettlementRunArgs, ctx: Context) => ctx.loaders.run.load(args.id),
    bmUnits: (_root, _args, ctx: Context) => store.findBmUnits(ctx.db),
    bscParties: (_root, _args, ctx: Context) => store.findBscParties(ctx.db),
  },
  Mutation: {
    allocateBmUnit: (_root, args: { input: AllocateBmUnitInput }, ctx: Context) => allocateBmUnit(args.input, ctx),
    submitAggregation: (_root, args: { input: NullableFields<AggregationSubmission, 'periodMinutes' | 'exceptions'> }, ctx: Context) =>
      submitAggregation(
        ctx.db,
        { ...args.input, periodMinutes: args.input.periodMinutes ?? 30, exceptions: args.input.exceptions ?? [] },
        ctx.now,
      ),
  },
  SettlementPeriod: {
    // Pure computation, no SQL: a loader would add nothing here. Async so that one bad representation fails alone
    // instead of throwing out of @apollo/subgraph's loop over the whole batch.
    __resolveReference: async (ref: { utcStart: string; periodMinutes: number }) => periodAt(ref.utcStart, ref.periodMinutes),
  },
  SettlementDay: {
    periods: (day: ReturnType<typeof settlementDay>) =>
      Array.from({ length: day.periodCount }, (_, index) =>
        settlementPeriodOf(periodStartUtc(day.settlementDate, index + 1, day.periodMinutes), day.periodMinutes),
      ),
  },
  SettlementRun: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.run.load(ref.id),
    aggregatedVolumes: async (run: store.SettlementRun, args: SettlementRunAggregatedVolumesArgs, ctx: Context) =>
      ownRows(await ctx.loaders.aggregatedVolumes.load({ runId: run.id, supplierId: args.supplierId ?? null }), ctx),
    exceptionSummary: async (run: store.SettlementRun, _args, ctx: Context) =>
      sumBySupplierAndType(ownRows(await ctx.loaders.exceptionCounts.load(run.id), ctx)),
    exceptions: async (run: store.SettlementRun, _args, ctx: Context) => ownRows(await ctx.loaders.exceptions.load(run.id), ctx),
  },
  AggregatedVolume: {
    settlementPeriod: (v: store.AggregatedVolume) => periodAt(v.utcStart, v.periodMinutes),
    supplier: (v: store.AggregatedVolume) => participantRef(v.supplierId),
    gspGroup: gspGroupRef,
    bmUnit: (v: store.AggregatedVolume, _args, ctx: Context) => ctx.loaders.bmUnit.load(v.bmUnitId),
  },
  ExceptionCount: {
    supplier: (c: store.ExceptionCount) => participantRef(c.supplierId),
  },
  SettlementException: {
    settlementPeriod: (e: store.SettlementException) => periodAt(e.utcStart, e.periodMinutes),
    supplier: (e: store.SettlementException) => participantRef(e.supplierId),
    dataService: (e: store.SettlementException) => participantRef(e.dataServiceId),
  },
  BmUnit: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.bmUnit.load(ref.id),
    gspGroup: gspGroupRef,
    leadParty: (u: store.BmUnit, _args, ctx: Context) => ctx.loaders.bscParty.load(u.leadPartyId),
  },
  BscParty: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.bscParty.load(ref.id),
    bmUnits: (p: store.BscParty, _args, ctx: Context) => ctx.loaders.bmUnitsByLeadParty.load(p.id),
  },
  MeteringPoint: {
    // The registration subgraph owns metering points; this one only adds fields to the reference.
    __resolveReference: visibleMeteringPointReference,
    // Shown only for instants the caller was responsible: a former supplier never learns its successor's unit.
    bmUnitAllocation: async (mp: { mpanCore: string }, args: MeteringPointBmUnitAllocationArgs, ctx: Context) => {
      if (!(await responsibleAt(mp.mpanCore, args.at, ctx))) return null;
      const period = await ctx.responsibilities.heldAt('BM_UNIT', mp.mpanCore, args.at ?? ctx.now);
      return period && { mpanCore: mp.mpanCore, bmUnitId: period.holder, effectiveFrom: period.from, effectiveTo: period.to };
    },
  },
  BmUnitAllocation: {
    bmUnit: (a: store.BmUnitAllocation, _args, ctx: Context) => ctx.loaders.bmUnit.load(a.bmUnitId),
  },
};
