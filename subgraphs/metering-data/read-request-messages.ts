import type { OutgoingMessage } from '../kit/outbox';
import type { ReadRequest } from './store';

// The feed messages of the read-request process (PRI-023: only these), each to one participant (PRI-021).

const facts = (q: ReadRequest) => ({
  readRequestId: q.id,
  mpanCore: q.mpanCore,
  meterId: q.meterId,
  reason: q.reason,
  dueBy: q.dueBy.toISOString(),
});

/** The meter reading service is asked to read (PRI-006): a new item on its work list. */
export function readRequestRaised(q: ReadRequest): OutgoingMessage {
  return {
    type: 'READ_REQUEST_RAISED',
    recipient: { participant: q.meterReadingServiceId },
    mpanCore: q.mpanCore,
    payload: facts(q),
    principle: 'PRI-021',
  };
}

/** The meter reading service need not visit any more. */
export function readRequestCancelled(q: ReadRequest): OutgoingMessage {
  return {
    type: 'READ_REQUEST_CANCELLED',
    recipient: { participant: q.meterReadingServiceId },
    mpanCore: q.mpanCore,
    payload: { ...facts(q), cancellationReason: q.cancellationReason },
    principle: 'PRI-021',
  };
}

/** Whoever raised the request learns that it was read (the reading itself it reads through the graph). */
export function readRequestFulfilled(q: ReadRequest): OutgoingMessage | null {
  if (!q.raisedBy) return null;
  return {
    type: 'READ_REQUEST_FULFILLED',
    recipient: { participant: q.raisedBy },
    mpanCore: q.mpanCore,
    payload: { ...facts(q), fulfilledAt: q.fulfilledAt?.toISOString() ?? null },
    principle: 'PRI-021',
  };
}
