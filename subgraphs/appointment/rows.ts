/**
 * The rows the appointment subgraph owns, as plain data: what its store writes and what a dataset (the demo, the bench's, a
 * test's) must provide for it. Dates are "YYYY-MM-DD", instants are Date, decimals are strings.
 */

/** What the appointment subgraph stores: its share of a dataset, written by writeAppointmentDataset. */
export interface AppointmentRows {
  appointments: AppointmentRow[];
}

export interface InterfaceMessageRow {
  interfaceId: 'IF_031' | 'IF_032' | 'IF_033' | 'PROVIDER_RESPONSE' | 'IF_035' | 'IF_036' | 'WITHDRAWAL' | 'WITHDRAWAL_NOTICE';
  fromParticipantId: string;
  toParticipantId: string;
  sentAt: Date;
  outcome: 'ACCEPTED' | 'REJECTED' | null;
  reason: string | null;
}

export interface AppointmentRow {
  id: string;
  mpanCore: string;
  serviceRole: string;
  providerId: string;
  supplierId: string;
  scenario: 'CHANGE_OF_SUPPLIER' | 'CHANGE_OF_SERVICE_PROVIDER';
  contractReference: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  decision: 'REQUESTED' | 'ACCEPTED' | 'REJECTED' | 'LAPSED' | 'WITHDRAWN';
  /** Why a LAPSED request lapsed; null otherwise. */
  lapseReason?: string | null;
  requestedAt: Date;
  respondBy: Date;
  messages: InterfaceMessageRow[];
}
