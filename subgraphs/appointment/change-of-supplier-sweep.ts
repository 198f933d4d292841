import { utcDateOf } from '../../core';
import type { Queryable } from '../kit/db';
import { writeMessages } from '../kit/outbox';
import type { ResponsibilityPeriod } from '../kit/responsibility';
import type { SubgraphSweep } from '../kit/timed-work';
import { appointmentEnded, appointmentRequestLapsed } from './appointment-messages';
import { appointmentConfig } from './config';
import * as store from './store';
import type { Appointment } from './store';
import { withSupplierCover } from './supplier-cover';

/**
 * A change of supplier lapses the losing supplier's requests (and accepted appointments not yet in force) and ends its
 * appointments in force (supplier-cover.ts derives both from the Registration Service's registrations at read time).
 * This sweep tells the providers on the day the change takes effect, whether or not anyone asks: the proposed provider
 * APPOINTMENT_REQUEST_LAPSED, the outgoing provider APPOINTMENT_ENDED (IF-036), each written with the recorded change
 * in one transaction (kit/outbox.ts).
 *
 * Exactly once, across replicas and restarts: each message goes with a change of the appointment's row that can happen
 * only once (REQUESTED or ACCEPTED → LAPSED; effective_to moved to the end), made under the MPAN and role's lock by a
 * conditional UPDATE. A second sweep, or the request that records a lapse when it needs the place
 * (request-appointment.ts), finds the row changed and writes nothing.
 */

const SWEEP = 'change-of-supplier';
/** MPAN cores asked of the Registration Service per question (and per page of the sweep). */
const PAGE_MPANS = 2000;

/** What one appointment needs on `today`, if anything. */
type Due = { kind: 'lapse'; appointment: Appointment; reason: string } | { kind: 'end'; appointment: Appointment; on: string };

/**
 * The day a lapse takes effect: the end of the requesting supplier's registration that held the MPAN before the
 * effective date (the gaining supplier's start); today when the supplier holds no such registration any more.
 */
function lapseDay(stored: Appointment, supplierPeriods: readonly ResponsibilityPeriod[], today: string): string {
  const ends = supplierPeriods
    .filter((p) => p.holder === stored.supplierId && p.to !== null && p.to <= stored.effectiveFrom)
    .map((p) => p.to!)
    .sort();
  return ends.at(-1) ?? today;
}

/** The change due for one appointment by `today`, announced only from `since` (the sweep's first day). */
function dueChange(
  stored: Appointment,
  current: Appointment,
  supplierPeriods: readonly ResponsibilityPeriod[],
  today: string,
  since: string,
): Due | null {
  if (current.decision === 'LAPSED') {
    const day = lapseDay(stored, supplierPeriods, today);
    return day <= today && day >= since ? { kind: 'lapse', appointment: stored, reason: current.lapseReason! } : null;
  }
  const end = current.effectiveTo;
  const shortened = current.decision === 'ACCEPTED' && end !== null && (stored.effectiveTo === null || end < stored.effectiveTo);
  return shortened && end <= today && end >= since ? { kind: 'end', appointment: stored, on: end } : null;
}

/** Records one due change with its message, once: false when another writer recorded it first. */
async function record(tx: Queryable, due: Due, now: Date): Promise<boolean> {
  const { appointment } = due;
  await store.lockMpanServiceRole(tx, appointment.mpanCore, appointment.serviceRole);
  if (due.kind === 'lapse') {
    const lapsed = await store.recordLapse(tx, appointment.id, appointment.decision as 'REQUESTED' | 'ACCEPTED', due.reason);
    if (!lapsed) return false;
    await writeMessages(tx, 'appointment', [appointmentRequestLapsed(lapsed, appointment.decision === 'ACCEPTED')], now);
    return true;
  }
  const ended = await store.endAppointmentOn(tx, appointment.id, due.on);
  if (!ended) return false;
  const reason = `CHANGE_OF_SUPPLIER: the appointment ends on ${ended.effectiveTo}, when ${appointment.supplierId} is no longer the registered supplier`;
  // The end notice on the appointment's trail, as when another provider takes over (respond-to-appointment.ts).
  await store.appendMessages(tx, appointment.id, [
    {
      interfaceId: 'IF_036',
      fromParticipantId: appointmentConfig.registrationServiceId,
      toParticipantId: ended.providerId,
      sentAt: now,
      outcome: null,
      reason,
    },
  ]);
  await writeMessages(tx, 'appointment', [appointmentEnded(ended, reason)], now);
  return true;
}

/** The appointment subgraph's sweep (kit/timed-work.ts), asking the registrations as the Registration Service. */
export const changeOfSupplierSweep: SubgraphSweep = {
  name: SWEEP,
  actingAs: () => ({ participant: appointmentConfig.registrationServiceId, role: 'REGISTRATION_SERVICE' }),
  async run({ db, now, responsibilities }) {
    const today = utcDateOf(now);
    const since = await store.sweepFloor(db, SWEEP, today);
    let recorded = 0;
    let afterMpan = '';
    for (;;) {
      const page = await store.findLiveAppointmentsPage(db, afterMpan, since, PAGE_MPANS);
      if (page.length === 0) return recorded;
      afterMpan = page[page.length - 1].mpanCore;
      // One question to the Registration Service for the page's MPANs (batched by the responsibilities' loader).
      const current = await withSupplierCover(page, responsibilities);
      const due: Due[] = [];
      for (const [i, stored] of page.entries()) {
        const change = dueChange(stored, current[i], await responsibilities.periods('SUPPLIER', stored.mpanCore), today, since);
        if (change) due.push(change);
      }
      for (const change of due) if (await db.transaction((tx) => record(tx, change, now))) recorded++;
    }
  },
};
