import type { Responsibilities } from '../kit/responsibility';
import { earliestEnd, periodCovers } from '../kit/responsibility';
import type { Appointment } from './store';

/**
 * An appointment serves the supplier that requested it, for that supplier's registration only (PRI-001: the
 * registrations are the Registration Service's, asked at read time and never copied here). So, at a change of supplier:
 * - a request or accepted appointment whose supplier is not registered on its effective date LAPSES (it never takes
 *   effect), with a reason the provider and the supplier read;
 * - an appointment of the losing supplier ends at the supply start of the gaining one, the end of its registration.
 * Rejected and already lapsed appointments are as stored.
 */
export async function withSupplierCover(appointments: readonly Appointment[], responsibilities: Responsibilities): Promise<Appointment[]> {
  return Promise.all(
    appointments.map(async (appointment) => {
      if (appointment.decision !== 'REQUESTED' && appointment.decision !== 'ACCEPTED') return appointment;
      const registrations = await responsibilities.periods('SUPPLIER', appointment.mpanCore);
      const registration = registrations.find((r) => r.holder === appointment.supplierId && periodCovers(r, appointment.effectiveFrom));
      if (!registration) {
        return {
          ...appointment,
          decision: 'LAPSED' as const,
          lapseReason: lapseReasonOf(appointment),
        };
      }
      return { ...appointment, effectiveTo: earliestEnd(appointment.effectiveTo, registration.to) };
    }),
  );
}

/** Why an appointment lapsed: says what happened, not who the gaining supplier is. */
export function lapseReasonOf(appointment: Pick<Appointment, 'supplierId' | 'mpanCore' | 'effectiveFrom'>): string {
  return `CHANGE_OF_SUPPLIER: the requesting supplier ${appointment.supplierId} is not registered for ${appointment.mpanCore} on the effective date ${appointment.effectiveFrom}, so the appointment cannot take effect`;
}

/** Whether an appointment (after `withSupplierCover`) is in force on a UTC day. */
export function inForceOn(appointment: Appointment, day: string): boolean {
  return appointment.decision === 'ACCEPTED' && periodCovers({ from: appointment.effectiveFrom, to: appointment.effectiveTo }, day);
}
