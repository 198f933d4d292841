import type { Responsibility, ResponsibilityOwner, ResponsibilityPeriod } from '../kit/responsibility';
import { DATA_SERVICE_ROLES, METERING_SERVICE_ROLES } from '../../core';
import { PROPOSAL_RESPONSIBILITY } from '../kit/scope';
import { withSupplierCover } from './supplier-cover';
import * as store from './store';

const SERVICE_ROLES: readonly string[] = [...DATA_SERVICE_ROLES, ...METERING_SERVICE_ROLES];
const PROPOSALS = SERVICE_ROLES.map((role) => PROPOSAL_RESPONSIBILITY[role as keyof typeof PROPOSAL_RESPONSIBILITY]!);

/**
 * Appointment owns the appointed services: each accepted appointment is its provider's period, ended where the
 * requesting supplier's registration ends (supplier-cover.ts); a lapsed one is no period at all. It also owns the
 * proposed providers (PROPOSED_*): an unanswered, unlapsed request is its provider's period from the effective date,
 * which lets the provider read the metering point's registration and meter data (IF-033) and nothing more.
 */
export const appointmentResponsibilities: ResponsibilityOwner = {
  owns: [...DATA_SERVICE_ROLES, ...METERING_SERVICE_ROLES, ...PROPOSALS],
  async findPeriods({ db, responsibilities }, asked, mpanCores) {
    const askedRoles = asked as readonly string[];
    const wantsAppointed = askedRoles.some((r) => SERVICE_ROLES.includes(r));
    const wantsProposed = askedRoles.some((r) => (PROPOSALS as readonly string[]).includes(r));
    const [accepted, requested] = await Promise.all([
      wantsAppointed ? store.findAcceptedAppointmentsByMpan(db, mpanCores) : Promise.resolve([]),
      wantsProposed ? store.findRequestedAppointmentsByMpan(db, mpanCores) : Promise.resolve([]),
    ]);
    const appointed = (
      await withSupplierCover(
        accepted.filter((a) => askedRoles.includes(a.serviceRole)),
        responsibilities,
      )
    )
      .filter((a) => a.decision === 'ACCEPTED' && (a.effectiveTo === null || a.effectiveTo > a.effectiveFrom))
      .map((a): ResponsibilityPeriod => ({
        mpanCore: a.mpanCore,
        responsibility: a.serviceRole as Responsibility,
        holder: a.providerId,
        from: a.effectiveFrom,
        to: a.effectiveTo,
      }));
    const proposedIn = (role: string) => PROPOSAL_RESPONSIBILITY[role as keyof typeof PROPOSAL_RESPONSIBILITY]!;
    const proposed = (
      await withSupplierCover(
        requested.filter((a) => askedRoles.includes(proposedIn(a.serviceRole))),
        responsibilities,
      )
    )
      .filter((a) => a.decision === 'REQUESTED')
      .map((a): ResponsibilityPeriod => ({
        mpanCore: a.mpanCore,
        responsibility: proposedIn(a.serviceRole),
        holder: a.providerId,
        from: a.effectiveFrom,
        to: null,
      }));
    return [...appointed, ...proposed];
  },
};
