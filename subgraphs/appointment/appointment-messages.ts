import type { OutgoingMessage } from '../kit/outbox';
import type { Appointment } from './store';

// The messages the appointment process says a party must receive (PRI-023: these and no others), each written in the
// transaction of the change it announces (kit/outbox.ts). README "Messages" lists them.

/** The appointment facts every appointment message carries: enough to act on it without another read. */
const facts = (a: Appointment) => ({
  appointmentId: a.id,
  serviceRole: a.serviceRole,
  supplierId: a.supplierId,
  providerId: a.providerId,
  scenario: a.scenario,
  effectiveFrom: a.effectiveFrom,
});

/** IF-033: the Registration Service tells the proposed provider of a request addressed to it (PRI-021). */
export function appointmentRequested(a: Appointment, registrationServiceId: string): OutgoingMessage {
  return {
    type: 'APPOINTMENT_REQUESTED',
    recipient: { participant: a.providerId },
    mpanCore: a.mpanCore,
    payload: { ...facts(a), respondBy: a.respondBy.toISOString(), interface: 'IF_033', relayedBy: registrationServiceId },
    principle: 'PRI-021',
  };
}

/** IF-035: the provider's answer, relayed by the Registration Service to the requesting supplier (PRI-021, PRI-007). */
export function appointmentAnswered(a: Appointment, reason: string | null, registrationServiceId: string): OutgoingMessage {
  return {
    type: a.decision === 'ACCEPTED' ? 'APPOINTMENT_ACCEPTED' : 'APPOINTMENT_REJECTED',
    recipient: { participant: a.supplierId },
    mpanCore: a.mpanCore,
    payload: { ...facts(a), reason, interface: 'IF_035', relayedBy: registrationServiceId },
    principle: 'PRI-021',
  };
}

/**
 * A request that lapsed at a change of supplier: the proposed provider need no longer answer it (PRI-021). An accepted
 * appointment that had not taken effect lapses too (`wasAccepted`): the provider will not serve it.
 */
export function appointmentRequestLapsed(a: Appointment & { lapseReason: string }, wasAccepted = false): OutgoingMessage {
  return {
    type: 'APPOINTMENT_REQUEST_LAPSED',
    recipient: { participant: a.providerId },
    mpanCore: a.mpanCore,
    payload: { ...facts(a), reason: a.lapseReason, ...(wasAccepted ? { wasAccepted } : {}) },
    principle: 'PRI-021',
  };
}

/** The supplier withdrew its unanswered request (PRI-026): the proposed provider need no longer answer it (PRI-021). */
export function appointmentRequestWithdrawn(a: Appointment, reason: string | null): OutgoingMessage {
  return {
    type: 'APPOINTMENT_REQUEST_WITHDRAWN',
    recipient: { participant: a.providerId },
    mpanCore: a.mpanCore,
    payload: { ...facts(a), reason },
    principle: 'PRI-021',
  };
}

/**
 * IF-036 to the outgoing provider: its appointment ends on `effectiveTo` because another provider takes over, or, with
 * a `reason` starting CHANGE_OF_SUPPLIER, because its supplier's registration ended (PRI-021). The successor is not
 * named: that is the supplier's business, not the outgoing provider's.
 */
export function appointmentEnded(
  ended: {
    id: string;
    mpanCore: string;
    serviceRole: string;
    providerId: string;
    effectiveTo: string;
  },
  reason?: string,
): OutgoingMessage {
  return {
    type: 'APPOINTMENT_ENDED',
    recipient: { participant: ended.providerId },
    mpanCore: ended.mpanCore,
    payload: {
      appointmentId: ended.id,
      mpanCore: ended.mpanCore,
      serviceRole: ended.serviceRole,
      effectiveTo: ended.effectiveTo,
      interface: 'IF_036',
      ...(reason ? { reason } : {}),
    },
    principle: 'PRI-021',
  };
}
