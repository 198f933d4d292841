import DataLoader from 'dataloader';
import type { Database } from './db';
import type { SignQuestion } from './question-signer';
import { type InternalContext, INTERNAL_CONTEXT_HEADER, type MarketRole } from '../../core';

/** UTC days [from, to) during which a caller may see a metering point's data; `to` null while open. */
export interface DayRange {
  from: string;
  to: string | null;
}

/** The whole life of a metering point. */
export const ALL_TIME: readonly DayRange[] = [{ from: '0001-01-01', to: null }];

/**
 * Who decides which metering points a role may see (DESIGN.md "row scoping"): the subgraph that owns the facts.
 * Central services that need every metering point see all; a role with no metering-point business sees none.
 * Reviewed by the security group with the @access rules.
 */
export const SCOPE_OWNER: Readonly<Record<MarketRole, 'ALL' | 'NONE' | 'registration' | 'appointment' | 'metering-data'>> = {
  REGISTRATION_SERVICE: 'ALL',
  MARKET_WIDE_DATA_SERVICE: 'ALL',
  SUPPLIER: 'registration', // its supplier registrations, for their periods
  DISTRIBUTOR: 'registration', // the metering points on its network
  SMART_DATA_SERVICE: 'appointment', // accepted appointments, for their periods
  ADVANCED_DATA_SERVICE: 'appointment',
  UNMETERED_DATA_SERVICE: 'appointment',
  SMART_METERING_SERVICE: 'appointment',
  ADVANCED_METERING_SERVICE: 'appointment',
  METER_READING_SERVICE: 'metering-data', // only metering points with an open read request for it (PRI-006)
  VOLUME_ALLOCATION_SERVICE: 'NONE',
  CENTRAL_REGISTRATION_AGENT: 'NONE',
};

/** A subgraph that owns the scope of some roles answers for them from its own tables. */
export interface ScopeOwner {
  findScopes(db: Database, caller: InternalContext, mpanCores: readonly string[]): Promise<Map<string, DayRange[]>>;
}

/** Asks the owning subgraph, over HTTP with a question signed for it and this body, for the scopes of `mpanCores`. */
async function askOwner(
  owner: string,
  url: string,
  signQuestion: SignQuestion,
  mpanCores: readonly string[],
): Promise<Map<string, DayRange[]>> {
  const body = JSON.stringify({ mpanCores });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [INTERNAL_CONTEXT_HEADER]: await signQuestion(owner, body) },
    body,
  });
  if (!response.ok) throw new Error(`scope owner ${url} answered ${response.status}`);
  const { scopes } = (await response.json()) as { scopes: Record<string, DayRange[]> };
  return new Map(Object.entries(scopes));
}

export interface ScopeLoaderOptions {
  caller: InternalContext;
  /** Signs the question to the owner, when another subgraph owns the scope. */
  signQuestion: SignQuestion;
  /** This subgraph's name and the scope it owns, if any. */
  self: { name: string; db: Database; owner?: ScopeOwner };
  /** Base URL of each subgraph by name, for asking the owner. */
  subgraphBaseUrl(name: string): string;
}

/**
 * A per-request loader: MPAN core → the day ranges the caller may see (empty: not visible, which must look exactly
 * like "not found"). One owner look-up per batch.
 */
export function createScopeLoader(options: ScopeLoaderOptions): DataLoader<string, readonly DayRange[]> {
  return new DataLoader(async (mpanCores) => {
    const owner = SCOPE_OWNER[options.caller.role];
    if (owner === 'ALL') return mpanCores.map(() => ALL_TIME);
    if (owner === 'NONE') return mpanCores.map(() => []);
    const scopes =
      owner === options.self.name && options.self.owner
        ? await options.self.owner.findScopes(options.self.db, options.caller, mpanCores)
        : await askOwner(owner, `${options.subgraphBaseUrl(owner)}/internal/scope`, options.signQuestion, mpanCores);
    return mpanCores.map((mpan) => scopes.get(mpan) ?? []);
  });
}

/** Whether a UTC day falls in any of the ranges. */
export function dayInScope(day: string, ranges: readonly DayRange[]): boolean {
  return ranges.some((range) => range.from <= day && (range.to === null || day < range.to));
}

/** Groups rows of (mpanCore, from, to) into ranges per MPAN core. */
export function rangesByMpan(rows: readonly { mpanCore: string; from: string; to: string | null }[]): Map<string, DayRange[]> {
  const result = new Map<string, DayRange[]>();
  for (const row of rows) {
    const list = result.get(row.mpanCore) ?? [];
    list.push({ from: row.from, to: row.to });
    result.set(row.mpanCore, list);
  }
  return result;
}

/**
 * A metering point reference resolved by a subgraph that extends MeteringPoint: the reference itself when the caller
 * may see the metering point, else null, so out of scope looks exactly like not found.
 */
export async function visibleMeteringPointReference<Ref extends { mpanCore: string }>(
  ref: Ref,
  ctx: { scope: DataLoader<string, readonly DayRange[]> },
): Promise<Ref | null> {
  return (await ctx.scope.load(ref.mpanCore)).length > 0 ? ref : null;
}
