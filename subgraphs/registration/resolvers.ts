import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../kit/subgraph';
import { scalarResolvers, badUserInput, Reason, utcDateOf } from '../../core';
import { rangeInScope, responsibleAt } from '../kit/scope';
import type { RegistrationLoaders } from './loaders';
import { acknowledgeMessages, messageResolvers, readMessages } from './messages';
import * as store from './store';
import { settlementFactsPage, type SettlementFactsPageArgs } from './settlement-facts';
import { recordStandingData, recordSupplierRegistration, SupplierRegistrationChange } from './registration-changes';
import type {
  MeteringPointCurrentSupplierArgs,
  MeteringPointMetersArgs,
  MeteringPointStandingDataArgs,
  QueryMarketParticipantsArgs,
  QueryMeteringPointArgs,
  QueryMeteringPointPageArgs,
  QueryMeteringPointsArgs,
  RequireFields,
} from './generated/resolvers-types';

type Context = SubgraphContext<RegistrationLoaders>;

export const MAX_KEYS_PER_CALL = 500;
export const MAX_METERING_POINT_PAGE = 1000;

/** Refuses oversized key lists with a clear limit instead of running a huge query. */
function checkKeyCount(keys: readonly unknown[], argument: string): void {
  if (keys.length > MAX_KEYS_PER_CALL) {
    throw badUserInput(Reason.TOO_MANY_KEYS, `${argument}: at most ${MAX_KEYS_PER_CALL} per call, got ${keys.length}`);
  }
}

/** The UTC day at the asked instant, else at the request's business instant: effective-dated on a UTC basis (PRI-018). */
const dayOf = (at: Date | undefined | null, ctx: Context) => utcDateOf(at ?? ctx.now);

/**
 * Current state only while the caller is responsible now: a former party keeps its own history, a future party waits
 * for its start (README "Who may see what"); otherwise the answer is `none`, as for a metering point without the item.
 */
const whileResponsible =
  <A, T, N>(
    none: N,
    resolve: (mp: store.MeteringPoint, args: A, ctx: Context) => T | Promise<T>,
    at?: (args: A) => Date | null | undefined,
  ) =>
  async (mp: store.MeteringPoint, args: A, ctx: Context): Promise<T | N> =>
    (await responsibleAt(mp.mpanCore, at?.(args), { scope: ctx.visibility, now: ctx.now })) ? resolve(mp, args, ctx) : none;

/** Resolves one current standing-data item of a metering point through the batched "as on today" loader. */
const currentStandingItem = <K extends keyof store.StandingData>(item: K) =>
  whileResponsible(
    null,
    async (mp: store.MeteringPoint, _args: unknown, ctx: Context) =>
      (await ctx.loaders.standingDataOnDate.load({ mpanCore: mp.mpanCore, onDate: dayOf(null, ctx) }))?.[item] ?? null,
  );

/** Standing-data versions (newest first) that were in force on a day the caller was responsible. */
async function standingDataInScope(mp: store.MeteringPoint, ctx: Context): Promise<store.StandingData[]> {
  const [versions, scope] = await Promise.all([ctx.loaders.standingDataHistory.load(mp.mpanCore), ctx.visibility.load(mp.mpanCore)]);
  // Newest first: each version is in force until the effective date of the one before it in the list.
  return versions.filter((version, index) => rangeInScope(version.effectiveFrom, versions[index - 1]?.effectiveFrom ?? null, scope));
}

const gspGroupRef = (row: { gspGroupId: string }, _args: unknown, ctx: Context) => ctx.loaders.gspGroup.load(row.gspGroupId);

/** A metering point the caller may see, or null: out of scope looks exactly like not registered. */
async function visibleMeteringPoint(mpanCore: string, ctx: Context): Promise<store.MeteringPoint | null> {
  const [meteringPoint, scope] = await Promise.all([ctx.loaders.meteringPoint.load(mpanCore), ctx.visibility.load(mpanCore)]);
  return scope.length > 0 ? meteringPoint : null;
}

/** Page cursors are opaque to clients; inside they are the MPAN core of the last metering point returned. */
export function encodeMeteringPointCursor(mpanCore: string): string {
  return Buffer.from(mpanCore).toString('base64url');
}

function decodeMeteringPointCursor(cursor: string): string {
  const mpanCore = Buffer.from(cursor, 'base64url').toString();
  if (!/^\d{13}$/.test(mpanCore) || encodeMeteringPointCursor(mpanCore) !== cursor) {
    throw badUserInput(Reason.INVALID_CURSOR, `after: "${cursor}" is not a cursor returned by meteringPointPage; pass its endCursor`);
  }
  return mpanCore;
}

/** The metering points a role lists, as its row scope has them (kit/scope.ts SCOPE_RESPONSIBILITY), filtered in SQL. */
function pageFilter(caller: Context['caller']): store.MeteringPointFilter | null {
  if (caller.role === 'REGISTRATION_SERVICE' || caller.role === 'MARKET_WIDE_DATA_SERVICE') return { kind: 'ALL' };
  if (caller.role === 'SUPPLIER' || caller.role === 'DISTRIBUTOR') return { kind: caller.role, participantId: caller.participant };
  return null;
}

async function meteringPointPage(args: RequireFields<QueryMeteringPointPageArgs, 'first'>, ctx: Context) {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_METERING_POINT_PAGE) {
    throw badUserInput(
      Reason.INVALID_PAGE_SIZE,
      `meteringPointPage: first must be between 1 and ${MAX_METERING_POINT_PAGE}, got ${args.first}; page with after/endCursor`,
    );
  }
  const after = args.after ? decodeMeteringPointCursor(args.after) : null;
  const filter = pageFilter(ctx.caller);
  if (!filter) return { nodes: [], endCursor: null, hasNextPage: false };
  // One row more than the page tells whether another page follows.
  const rows = await store.findMeteringPointsPage(ctx.db, { after, limit: args.first + 1, filter });
  const nodes = rows.slice(0, args.first);
  for (const node of nodes) ctx.loaders.meteringPoint.prime(node.mpanCore, node);
  return {
    nodes,
    endCursor: nodes.length > 0 ? encodeMeteringPointCursor(nodes[nodes.length - 1].mpanCore) : null,
    hasNextPage: rows.length > args.first,
  };
}

/** A supplier sees its own registrations only; other roles those that overlap the days they were responsible. */
async function registrationsInScope(mpanCore: string, rows: store.SupplierRegistration[], ctx: Context) {
  if (ctx.caller.role === 'SUPPLIER') return rows.filter((row) => row.supplierId === ctx.caller.participant);
  const scope = await ctx.visibility.load(mpanCore);
  return rows.filter((row) => rangeInScope(row.effectiveFrom, row.effectiveTo, scope));
}

export const registrationResolvers: GraphQLResolverMap<Context> = {
  ...scalarResolvers,
  Query: {
    meteringPoint: (_root, args: QueryMeteringPointArgs, ctx: Context) => visibleMeteringPoint(args.mpanCore, ctx),
    meteringPoints: (_root, args: QueryMeteringPointsArgs, ctx: Context) => {
      checkKeyCount(args.mpanCores, 'mpanCores');
      return Promise.all(args.mpanCores.map((mpanCore) => visibleMeteringPoint(mpanCore, ctx)));
    },
    distributors: (_root, _args, ctx: Context) => store.findDistributors(ctx.db),
    gspGroups: (_root, _args, ctx: Context) => store.findGspGroups(ctx.db),
    marketParticipants: (_root, args: QueryMarketParticipantsArgs, ctx: Context) => {
      checkKeyCount(args.ids, 'ids');
      return ctx.loaders.participant.loadMany(args.ids);
    },
    meteringPointPage: (_root, args: RequireFields<QueryMeteringPointPageArgs, 'first'>, ctx: Context) => meteringPointPage(args, ctx),
    messages: (_root, args: { first: number; after?: string | null }, ctx: Context) => readMessages(args, ctx),
    settlementFactsPage: (_root, args: SettlementFactsPageArgs, ctx: Context) => settlementFactsPage(args, ctx),
  },
  Mutation: {
    recordSupplierRegistration: (_root, args: { input: SupplierRegistrationChange }, ctx: Context) =>
      recordSupplierRegistration(ctx.db, args.input),
    recordStandingData: (_root, args: { input: store.StandingData }, ctx: Context) => recordStandingData(ctx.db, args.input),
    acknowledgeMessages: (_root, args: { cursor: string }, ctx: Context) => acknowledgeMessages(args.cursor, ctx),
  },
  ...messageResolvers,
  MeteringPoint: {
    __resolveReference: (ref: { mpanCore: string }, ctx: Context) => visibleMeteringPoint(ref.mpanCore, ctx),
    distributor: (mp: store.MeteringPoint, _args, ctx: Context) => ctx.loaders.distributor.load(mp.distributorId),
    standingData: whileResponsible(
      null,
      (mp: store.MeteringPoint, args: MeteringPointStandingDataArgs, ctx: Context) =>
        ctx.loaders.standingDataOnDate.load({ mpanCore: mp.mpanCore, onDate: dayOf(args.at, ctx) }),
      (args) => args.at,
    ),
    gspGroup: whileResponsible(null, async (mp: store.MeteringPoint, _args: unknown, ctx: Context) => {
      const current = await ctx.loaders.standingDataOnDate.load({ mpanCore: mp.mpanCore, onDate: dayOf(null, ctx) });
      return current ? ctx.loaders.gspGroup.load(current.gspGroupId) : null;
    }),
    marketSegment: currentStandingItem('marketSegment'),
    energisationStatus: currentStandingItem('energisationStatus'),
    connectionType: currentStandingItem('connectionType'),
    energyDirection: currentStandingItem('energyDirection'),
    metered: currentStandingItem('metered'),
    duosTariffId: currentStandingItem('duosTariffId'),
    address: whileResponsible(null, (mp: store.MeteringPoint) => mp.address),
    legacyTopLine: whileResponsible(null, (mp: store.MeteringPoint) => mp.legacyTopLine),
    meters: whileResponsible(
      [],
      (mp: store.MeteringPoint, _args: MeteringPointMetersArgs, ctx: Context) => ctx.loaders.meters.load(mp.mpanCore),
      (args) => args.at,
    ),
    currentSupplier: whileResponsible(
      null,
      async (mp: store.MeteringPoint, args: MeteringPointCurrentSupplierArgs, ctx: Context) => {
        const registration = await ctx.loaders.supplierOnDate.load({ mpanCore: mp.mpanCore, onDate: dayOf(args.at, ctx) });
        return registration && (await registrationsInScope(mp.mpanCore, [registration], ctx)).length > 0 ? registration : null;
      },
      (args) => args.at,
    ),
    supplierRegistrations: async (mp: store.MeteringPoint, _args, ctx: Context) =>
      registrationsInScope(mp.mpanCore, await ctx.loaders.supplierRegistrations.load(mp.mpanCore), ctx),
    standingDataHistory: (mp: store.MeteringPoint, _args, ctx: Context) => standingDataInScope(mp, ctx),
  },
  StandingData: { gspGroup: gspGroupRef },
  SupplierRegistration: {
    supplier: (row: store.SupplierRegistration, _args, ctx: Context) => ctx.loaders.participant.load(row.supplierId),
  },
  Meter: {
    assetProvider: (meter: store.Meter, _args, ctx: Context) => ctx.loaders.participant.load(meter.assetProviderId),
  },
  Distributor: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.distributor.load(ref.id),
    participant: (d: store.Distributor, _args, ctx: Context) => ctx.loaders.participant.load(d.participantId),
    homeGspGroup: (d: store.Distributor, _args, ctx: Context) => (d.homeGspGroupId ? ctx.loaders.gspGroup.load(d.homeGspGroupId) : null),
    gspGroups: (d: store.Distributor, _args, ctx: Context) => ctx.loaders.gspGroup.loadMany(d.gspGroupIds),
  },
  GspGroup: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.gspGroup.load(ref.id),
  },
  MarketParticipant: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.participant.load(ref.id),
  },
};
