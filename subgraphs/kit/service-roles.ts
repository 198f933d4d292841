/** The appointed data services: they see the metering points and the data they are appointed for. */
export const DATA_SERVICE_ROLES: ReadonlySet<string> = new Set(['SMART_DATA_SERVICE', 'ADVANCED_DATA_SERVICE', 'UNMETERED_DATA_SERVICE']);

/** The appointed metering services. */
export const METERING_SERVICE_ROLES: ReadonlySet<string> = new Set(['SMART_METERING_SERVICE', 'ADVANCED_METERING_SERVICE']);

/** Whether a role acts as an appointed service provider (and so is scoped by its appointments). */
export function isAppointedService(role: string): boolean {
  return DATA_SERVICE_ROLES.has(role) || METERING_SERVICE_ROLES.has(role);
}
