/** Settings of the appointment process, read once from the environment at start so a bad value fails the start. */
export interface AppointmentConfig {
  /** How long a proposed provider has to answer a request (`respondBy` = request time + this). */
  responseWindowMs: number;
  /** MPID of the Registration Service that relays every appointment message (PRI-007). */
  registrationServiceId: string;
}

const DAY_MS = 86_400_000;

/**
 * `APPOINTMENT_RESPONSE_DAYS` (a positive number of days, default 5) and `REGISTRATION_SERVICE_ID` (default "RSVC",
 * the demo Registration Service).
 */
export function readAppointmentConfig(env: Record<string, string | undefined>): AppointmentConfig {
  const days = env.APPOINTMENT_RESPONSE_DAYS?.trim() || '5';
  if (!/^\d+(\.\d+)?$/.test(days) || Number(days) <= 0) {
    throw new Error(`APPOINTMENT_RESPONSE_DAYS must be a positive number of days, such as 5 or 0.5; got ${JSON.stringify(days)}`);
  }
  return { responseWindowMs: Number(days) * DAY_MS, registrationServiceId: env.REGISTRATION_SERVICE_ID?.trim() || 'RSVC' };
}

export const appointmentConfig: AppointmentConfig = readAppointmentConfig(process.env);
