/** The service roles that fit each market segment: one data service and at most one metering service. */
export const SERVICE_ROLES_BY_SEGMENT: Readonly<Record<string, readonly string[]>> = {
  SMART: ['SMART_DATA_SERVICE', 'SMART_METERING_SERVICE'],
  ADVANCED: ['ADVANCED_DATA_SERVICE', 'ADVANCED_METERING_SERVICE'],
  UNMETERED: ['UNMETERED_DATA_SERVICE'],
};

/** Whether a service role may be appointed to a metering point of the market segment. */
export function serviceRoleFitsSegment(serviceRole: string, marketSegment: string): boolean {
  return SERVICE_ROLES_BY_SEGMENT[marketSegment]?.includes(serviceRole) ?? false;
}
