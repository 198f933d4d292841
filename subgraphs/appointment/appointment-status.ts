import type { Appointment } from './store';

export type AppointmentStatus = 'REQUESTED' | 'REJECTED' | 'ACCEPTED' | 'ACTIVE' | 'ENDED';

/**
 * The status of an appointment on a UTC day (PRI-018), derived from the provider's decision and the effective dates,
 * so it is right at any instant without a job having to run on the effective date.
 */
export function appointmentStatusOn(
  appointment: Pick<Appointment, 'decision' | 'effectiveFrom' | 'effectiveTo'>,
  utcDay: string,
): AppointmentStatus {
  if (appointment.decision !== 'ACCEPTED') return appointment.decision;
  if (utcDay < appointment.effectiveFrom) return 'ACCEPTED';
  if (appointment.effectiveTo !== null && utcDay >= appointment.effectiveTo) return 'ENDED';
  return 'ACTIVE';
}
