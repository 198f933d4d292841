import { badUserInput, conflict, notFound, Reason, utcDateOf } from '../../core';
import type { SubgraphContext } from '../kit/subgraph';
import { appointmentConfig } from './config';
import type { AppointmentLoaders } from './loaders';
import { describeAppointments } from './request-appointment';
import * as store from './store';
import type { Appointment } from './store';
import { withSupplierCover } from './supplier-cover';
import { writeMessages } from '../kit/outbox';
import { appointmentAnswered, appointmentEnded } from './appointment-messages';

export interface RespondToAppointmentInput {
  appointmentId: string;
  accept: boolean;
  reason?: string | null;
}

const MAX_REASON = 500;

/**
 * The proposed provider's answer to a requested appointment, recorded in one transaction with its two messages:
 * PROVIDER_RESPONSE provider → registration, then IF-035 registration → supplier (PRI-007: the supplier hears it from
 * the Registration Service). Accepting ends the previous provider's appointment for the role on the new effective date
 * and tells that provider (IF-036 on its appointment's trail and in its feed). The feed messages are written in the
 * same transaction (APPOINTMENT_ACCEPTED/REJECTED to the supplier, APPOINTMENT_ENDED to each outgoing provider).
 */
export async function respondToAppointment(
  input: RespondToAppointmentInput,
  ctx: SubgraphContext<AppointmentLoaders>,
): Promise<Appointment> {
  const { participant, role } = ctx.caller;
  const reason = input.reason?.trim() || null;
  if (!input.accept && !reason) {
    throw badUserInput(
      Reason.REJECTION_REASON_REQUIRED,
      'a rejection needs a reason (1 to 500 characters), which the Registration Service passes on to the supplier (PRI-007)',
    );
  }
  if (reason && reason.length > MAX_REASON) {
    throw badUserInput(Reason.RESPONSE_REASON_TOO_LONG, `reason must be at most ${MAX_REASON} characters, got ${reason.length}`);
  }

  const missing = () =>
    notFound(
      Reason.APPOINTMENT_NOT_FOUND,
      `no appointment ${input.appointmentId} proposes ${participant} as ${role}: only the proposed provider, acting in the appointment's service role, can answer it`,
    );
  // Only the proposed provider in the appointment's role may answer; to anyone else it does not exist.
  const proposed = (a: Appointment | null): a is Appointment => a !== null && a.providerId === participant && a.serviceRole === role;
  const known = await ctx.loaders.appointment.load(input.appointmentId);
  if (!proposed(known)) throw missing();
  // A provider cannot accept a request of a supplier that is not registered on its effective date (it has lapsed:
  // a change of supplier came first). Asked of the Registration Service now, never copied (PRI-001).
  const [current] = await withSupplierCover([known], ctx.responsibilities);
  if (input.accept && current.decision === 'LAPSED') {
    throw conflict(
      Reason.REQUESTING_SUPPLIER_NOT_REGISTERED,
      `appointment ${known.id} cannot be accepted: ${current.lapseReason}. It has lapsed; the registered supplier makes its own request`,
    );
  }

  return ctx.db.transaction(async (tx) => {
    await store.lockMpanServiceRole(tx, known.mpanCore, known.serviceRole);
    const appointment = await store.findAppointmentForUpdate(tx, input.appointmentId);
    if (!proposed(appointment)) throw missing();
    if (appointment.decision !== 'REQUESTED') {
      throw conflict(
        Reason.APPOINTMENT_ALREADY_ANSWERED,
        `appointment ${appointment.id} was already answered (${appointment.decision}): only a REQUESTED appointment can be accepted or rejected`,
      );
    }
    const today = utcDateOf(ctx.now);
    const ended: store.EndedAppointment[] = [];
    if (input.accept) {
      if (appointment.effectiveFrom < today) {
        throw conflict(
          Reason.APPOINTMENT_EFFECTIVE_DATE_PASSED,
          `appointment ${appointment.id} was to take effect on ${appointment.effectiveFrom}, which has passed (today is ${today}, UTC): accepting it now would be retrospective (PRI-020), so it can only be rejected; the supplier may request again from a later date`,
        );
      }
      // The request was checked when it was made; an appointment accepted since then for a later day would overlap.
      const later = (
        await store.findOverlappingAppointments(tx, {
          mpanCore: appointment.mpanCore,
          serviceRole: appointment.serviceRole,
          effectiveFrom: appointment.effectiveFrom,
          providerId: appointment.providerId,
          utcToday: today,
          exceptId: appointment.id,
        })
      ).filter((a) => a.decision === 'ACCEPTED' && a.effectiveFrom >= appointment.effectiveFrom);
      if (later.length > 0) {
        throw conflict(
          Reason.OVERLAPPING_APPOINTMENT,
          `appointment ${appointment.id} from ${appointment.effectiveFrom} would overlap accepted appointments that start on or after it: ${describeAppointments(later, ctx.caller.participant)}; it can only be rejected`,
        );
      }
      // The previous provider is de-appointed on the new effective date, unless a change of supplier ends its
      // appointment before then: that end is announced on its own day (change-of-supplier-sweep.ts), and once.
      const replaced = await withSupplierCover(await store.findAppointmentsReplacedBy(tx, appointment), ctx.responsibilities);
      for (const old of replaced) {
        if (old.decision !== 'ACCEPTED' || (old.effectiveTo !== null && old.effectiveTo < appointment.effectiveFrom)) continue;
        const end = await store.endAppointmentOn(tx, old.id, appointment.effectiveFrom);
        if (end) ended.push(end);
      }
    }
    const decided = await store.recordDecision(tx, appointment.id, input.accept ? 'ACCEPTED' : 'REJECTED');
    const outcome = decided.decision === 'ACCEPTED' ? 'ACCEPTED' : 'REJECTED';
    const registrationService = appointmentConfig.registrationServiceId;
    const now = ctx.now;
    await store.appendMessages(tx, appointment.id, [
      {
        interfaceId: 'PROVIDER_RESPONSE',
        fromParticipantId: participant,
        toParticipantId: registrationService,
        sentAt: now,
        outcome,
        reason,
      },
      {
        interfaceId: 'IF_035',
        fromParticipantId: registrationService,
        toParticipantId: appointment.supplierId,
        sentAt: now,
        outcome,
        reason,
      },
    ]);
    // IF-036 to each outgoing provider: its appointment ends the day the new one takes effect. The reason marks it as
    // the end notice (store.findMessagesByAppointment); the successor is not named.
    for (const old of ended) {
      await store.appendMessages(tx, old.id, [
        {
          interfaceId: 'IF_036',
          fromParticipantId: registrationService,
          toParticipantId: old.providerId,
          sentAt: now,
          outcome: null,
          reason: `DE_APPOINTED: the appointment ends on ${old.effectiveTo}, when another ${old.serviceRole} takes over`,
        },
      ]);
    }
    await writeMessages(
      tx,
      'appointment',
      [appointmentAnswered(decided, reason, registrationService), ...ended.map((e) => appointmentEnded(e))],
      now,
    );
    return decided;
  });
}
