import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, Reason } from '../../core';
import { SCOPE_RESPONSIBILITY } from '../kit/scope';
import * as store from './store';

// The cursor is the page's last MPAN core, opaque to callers (as `meteringPointPage`'s).
const encodeCursor = (mpanCore: string) => Buffer.from(mpanCore).toString('base64url');

function decodeCursor(cursor: string): string {
  const mpanCore = Buffer.from(cursor, 'base64url').toString();
  if (!/^\d{13}$/.test(mpanCore) || encodeCursor(mpanCore) !== cursor) {
    throw badUserInput(Reason.INVALID_CURSOR, `after: "${cursor}" is not a cursor returned by settlementFactsPage; pass its endCursor`);
  }
  return mpanCore;
}

export const MAX_SETTLEMENT_FACTS_PAGE = 50_000;
const MAX_FACT_DAYS = 4;

export interface SettlementFactsPageArgs {
  onDates: readonly string[];
  first: number;
  after?: string | null;
}

/**
 * `Query.settlementFactsPage`: registration facts of a page of metering points on the asked UTC days, as parallel
 * lists (a list of scalars costs far less to serialise than an object per metering point). Only a role whose row scope
 * is every metering point at all times gets any; the SDL lets only the Market-wide Data Service ask.
 */
export async function settlementFactsPage(args: SettlementFactsPageArgs, ctx: SubgraphContext<unknown>) {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_SETTLEMENT_FACTS_PAGE) {
    throw badUserInput(
      Reason.INVALID_PAGE_SIZE,
      `settlementFactsPage: first must be between 1 and ${MAX_SETTLEMENT_FACTS_PAGE}, got ${args.first}; page with after/endCursor`,
    );
  }
  if (args.onDates.length < 1 || args.onDates.length > MAX_FACT_DAYS) {
    throw badUserInput(
      Reason.TOO_MANY_KEYS,
      `settlementFactsPage: onDates must name 1 to ${MAX_FACT_DAYS} UTC days, got ${args.onDates.length}`,
    );
  }
  const empty = {
    mpanCores: [],
    onDates: [],
    supplierIds: [],
    gspGroupIds: [],
    marketSegments: [],
    energisationStatuses: [],
    energyDirections: [],
  };
  // Defence in depth behind @access: facts of every metering point only for a caller whose scope is all of them.
  if (SCOPE_RESPONSIBILITY[ctx.caller.role] !== 'ALL') return { ...empty, endCursor: null, hasNextPage: false };
  const after = args.after ? decodeCursor(args.after) : null;
  const days = args.onDates.length;
  // One metering point more than the page tells whether another page follows.
  const rows = await store.findSettlementFactsPage(ctx.db, { after, limit: args.first + 1, onDates: args.onDates });
  const page = rows.slice(0, args.first * days);
  const last = page.at(-1);
  return {
    mpanCores: page.map((r) => r.mpanCore),
    onDates: page.map((r) => r.onDate),
    supplierIds: page.map((r) => r.supplierId),
    gspGroupIds: page.map((r) => r.gspGroupId),
    marketSegments: page.map((r) => r.marketSegment),
    energisationStatuses: page.map((r) => r.energisationStatus),
    energyDirections: page.map((r) => r.energyDirection),
    endCursor: last ? encodeCursor(last.mpanCore) : null,
    hasNextPage: rows.length > page.length,
  };
}
