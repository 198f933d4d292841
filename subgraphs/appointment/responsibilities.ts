import type { Responsibility, ResponsibilityOwner } from '../kit/responsibility';
import { DATA_SERVICE_ROLES, METERING_SERVICE_ROLES } from '../../core';
import { withSupplierCover } from './supplier-cover';
import * as store from './store';

/**
 * Appointment owns the appointed services: each accepted appointment is its provider's period, ended where the
 * requesting supplier's registration ends (supplier-cover.ts); a lapsed one is no period at all.
 */
export const appointmentResponsibilities: ResponsibilityOwner = {
  owns: [...DATA_SERVICE_ROLES, ...METERING_SERVICE_ROLES],
  async findPeriods({ db, responsibilities }, asked, mpanCores) {
    const accepted = (await store.findAcceptedAppointmentsByMpan(db, mpanCores)).filter((a) =>
      (asked as readonly string[]).includes(a.serviceRole),
    );
    return (await withSupplierCover(accepted, responsibilities))
      .filter((a) => a.decision === 'ACCEPTED' && (a.effectiveTo === null || a.effectiveTo > a.effectiveFrom))
      .map((a) => ({
        mpanCore: a.mpanCore,
        responsibility: a.serviceRole as Responsibility,
        holder: a.providerId,
        from: a.effectiveFrom,
        to: a.effectiveTo,
      }));
  },
};
