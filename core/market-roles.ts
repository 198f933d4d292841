/**
 * The market roles a request can act in (DESIGN.md "Market roles"; `enum MarketRole` in schema/access.graphql).
 * In core because the gateway, the subgraphs and the participants' programs all decide on it.
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

/** The appointed data services: they see the metering points and the data they are appointed for. */
export const DATA_SERVICE_ROLES = [
  'SMART_DATA_SERVICE',
  'ADVANCED_DATA_SERVICE',
  'UNMETERED_DATA_SERVICE',
] as const satisfies readonly MarketRole[];
export type DataServiceRole = (typeof DATA_SERVICE_ROLES)[number];

/** The appointed metering services. */
export const METERING_SERVICE_ROLES = ['SMART_METERING_SERVICE', 'ADVANCED_METERING_SERVICE'] as const satisfies readonly MarketRole[];
export type MeteringServiceRole = (typeof METERING_SERVICE_ROLES)[number];

/** A role a supplier appoints to a metering point. */
export type ServiceRole = DataServiceRole | MeteringServiceRole;

/** Whether a role is an appointed data service. */
export function isDataServiceRole(role: string): role is DataServiceRole {
  return (DATA_SERVICE_ROLES as readonly string[]).includes(role);
}

/** Whether a role acts as an appointed service provider (and so is scoped by its appointments). */
export function isAppointedService(role: string): role is ServiceRole {
  return isDataServiceRole(role) || (METERING_SERVICE_ROLES as readonly string[]).includes(role);
}
