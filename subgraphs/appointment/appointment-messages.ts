import type { OutgoingMessage } from '../kit/outbox';
import type { Appointment } from './store';

// The feed messages the appointment process calls for (PRI-023: none by default), each to one participant (PRI-021).

const facts = (a: Appointment) => ({
  appointmentId: a.id,
  mpanCore: a.mpanCore,
  serviceRole: a.serviceRole,
  effectiveFrom: a.effectiveFrom,
});

/** IF-033: the proposed provider learns of a request addressed to it, to answer by `respondBy`. */
export function appointmentRequested(a: Appointment): OutgoingMessage {
  return {
    type: 'APPOINTMENT_REQUESTED',
    recipient: { participant: a.providerId },
    mpanCore: a.mpanCore,
    payload: { ...facts(a), interface: 'IF_033', requestingSupplier: a.supplierId, respondBy: a.respondBy.toISOString() },
    principle: 'PRI-021',
  };
}

/** IF-035: the supplier learns the provider's answer from the Registration Service (PRI-007). */
export function appointmentAnswered(a: Appointment, reason: string | null): OutgoingMessage {
  return {
    type: a.decision === 'ACCEPTED' ? 'APPOINTMENT_ACCEPTED' : 'APPOINTMENT_REJECTED',
    recipient: { participant: a.supplierId },
    mpanCore: a.mpanCore,
    payload: { ...facts(a), interface: 'IF_035', provider: a.providerId, reason },
    principle: 'PRI-021',
  };
}

/** The supplier withdrew its unanswered request (PRI-026): the proposed provider need no longer answer it. */
export function appointmentRequestWithdrawn(a: Appointment, reason: string | null): OutgoingMessage {
  return {
    type: 'APPOINTMENT_REQUEST_WITHDRAWN',
    recipient: { participant: a.providerId },
    mpanCore: a.mpanCore,
    payload: { ...facts(a), requestingSupplier: a.supplierId, reason },
    principle: 'PRI-021',
  };
}

/**
 * IF-036 to the outgoing provider: its appointment ends on `effectiveTo` because another provider takes over. The
 * successor is not named: it is the supplier's business, not the outgoing provider's.
 */
export function appointmentEnded(ended: {
  id: string;
  mpanCore: string;
  serviceRole: string;
  providerId: string;
  effectiveTo: string;
}): OutgoingMessage {
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
    },
    principle: 'PRI-021',
  };
}
