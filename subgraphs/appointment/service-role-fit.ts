import type { ServiceRole } from '../../core';

type MarketSegment = 'SMART' | 'ADVANCED' | 'UNMETERED';

/** The service roles that fit each market segment: one data service and at most one metering service. */
export const SERVICE_ROLES_BY_SEGMENT: Readonly<Record<MarketSegment, readonly ServiceRole[]>> = {
  SMART: ['SMART_DATA_SERVICE', 'SMART_METERING_SERVICE'],
  ADVANCED: ['ADVANCED_DATA_SERVICE', 'ADVANCED_METERING_SERVICE'],
  UNMETERED: ['UNMETERED_DATA_SERVICE'],
};

/** The service roles that fit a market segment; undefined for a segment this table does not know. */
export function serviceRolesFor(marketSegment: string): readonly ServiceRole[] | undefined {
  return Object.hasOwn(SERVICE_ROLES_BY_SEGMENT, marketSegment) ? SERVICE_ROLES_BY_SEGMENT[marketSegment as MarketSegment] : undefined;
}

/** Whether a service role may be appointed to a metering point of the market segment. */
export function serviceRoleFitsSegment(serviceRole: string, marketSegment: string): boolean {
  return (serviceRolesFor(marketSegment) as readonly string[] | undefined)?.includes(serviceRole) ?? false;
}
