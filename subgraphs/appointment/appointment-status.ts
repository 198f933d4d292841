import type { Appointment } from './store';

export type AppointmentStatus = 'REQUESTED' | 'REJECTED' | 'ACCEPTED' | 'ACTIVE' | 'ENDED' | 'LAPSED' | 'WITHDRAWN';

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

/**
 * Whether a request is overdue at `now`: still unanswered after its `respondBy` time. The platform only shows it; the
 * supplier that initiated the request decides what to do (PRI-026).
 */
export function isOverdue(appointment: Pick<Appointment, 'decision' | 'respondBy'>, now: Date): boolean {
  return appointment.decision === 'REQUESTED' && appointment.respondBy.getTime() < now.getTime();
}
