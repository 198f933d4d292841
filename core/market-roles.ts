/**
 * The market roles a request can act in (DESIGN.md "Market roles"; `enum MarketRole` in schema/access.graphql).
 * Kept in the subgraph kit because both the gateway and the subgraphs need it and subgraphs never import gateway code.
 */
export const MARKET_ROLES = [
  'SUPPLIER',
  'REGISTRATION_SERVICE',
  'SMART_DATA_SERVICE',
  'METER_READING_SERVICE',
  'ADVANCED_DATA_SERVICE',
  'UNMETERED_DATA_SERVICE',
  'SMART_METERING_SERVICE',
  'ADVANCED_METERING_SERVICE',
  'DISTRIBUTOR',
  'MARKET_WIDE_DATA_SERVICE',
  'VOLUME_ALLOCATION_SERVICE',
  'CENTRAL_REGISTRATION_AGENT',
] as const;

export type MarketRole = (typeof MARKET_ROLES)[number];

const ROLE_SET: ReadonlySet<string> = new Set(MARKET_ROLES);

/** True when `x` is the exact name of a market role. */
export function isMarketRole(x: unknown): x is MarketRole {
  return typeof x === 'string' && ROLE_SET.has(x);
}
