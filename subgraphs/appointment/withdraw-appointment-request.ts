import { badUserInput, conflict, notFound, Reason } from '../../core';
import type { SubgraphContext } from '../kit/subgraph';
import { writeMessages } from '../kit/outbox';
import { appointmentConfig } from './config';
import type { AppointmentLoaders } from './loaders';
import { appointmentRequestWithdrawn } from './appointment-messages';
import * as store from './store';
import type { Appointment } from './store';
import { withSupplierCover } from './supplier-cover';

export interface WithdrawAppointmentRequestInput {
  appointmentId: string;
  reason?: string | null;
}

const MAX_REASON = 500;

/**
 * The requesting supplier withdraws a request the provider has not answered (PRI-026: the initiator monitors the
 * time-out and takes the ameliorative action). Written in one transaction with its messages: WITHDRAWAL supplier →
 * registration, WITHDRAWAL_NOTICE registration → provider, and APPOINTMENT_REQUEST_WITHDRAWN in the provider's feed.
 * The request gives up its place, so a new one for the MPAN and role can follow at once.
 */
export async function withdrawAppointmentRequest(
  input: WithdrawAppointmentRequestInput,
  ctx: SubgraphContext<AppointmentLoaders>,
): Promise<Appointment> {
  const supplierId = ctx.caller.participant;
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > MAX_REASON) {
    throw badUserInput(Reason.RESPONSE_REASON_TOO_LONG, `reason must be at most ${MAX_REASON} characters, got ${reason.length}`);
  }
  const missing = () =>
    notFound(
      Reason.APPOINTMENT_NOT_FOUND,
      `no appointment ${input.appointmentId} was requested by ${supplierId}: a supplier can withdraw only its own requests`,
    );
  const own = (a: Appointment | null): a is Appointment => a !== null && a.supplierId === supplierId;
  const known = await ctx.loaders.appointment.load(input.appointmentId);
  if (!own(known)) throw missing();

  return ctx.db.transaction(async (tx) => {
    await store.lockMpanServiceRole(tx, known.mpanCore, known.serviceRole);
    const stored = await store.findAppointmentForUpdate(tx, input.appointmentId);
    if (!own(stored)) throw missing();
    // A request whose supplier is no longer registered on its effective date has lapsed already: nothing to withdraw.
    const [appointment] = await withSupplierCover([stored], ctx.responsibilities);
    if (appointment.decision !== 'REQUESTED') {
      throw conflict(
        Reason.APPOINTMENT_NOT_WITHDRAWABLE,
        `appointment ${appointment.id} is ${appointment.decision}: only a REQUESTED appointment (not yet answered by the provider) can be withdrawn`,
      );
    }
    const withdrawn = await store.recordDecision(tx, appointment.id, 'WITHDRAWN');
    const registrationService = appointmentConfig.registrationServiceId;
    const now = ctx.now;
    await store.appendMessages(tx, appointment.id, [
      {
        interfaceId: 'WITHDRAWAL',
        fromParticipantId: supplierId,
        toParticipantId: registrationService,
        sentAt: now,
        outcome: null,
        reason,
      },
      {
        interfaceId: 'WITHDRAWAL_NOTICE',
        fromParticipantId: registrationService,
        toParticipantId: appointment.providerId,
        sentAt: now,
        outcome: null,
        reason,
      },
    ]);
    await writeMessages(tx, 'appointment', [appointmentRequestWithdrawn(withdrawn, reason)], now);
    return withdrawn;
  });
}
