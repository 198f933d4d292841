import { randomUUID } from 'node:crypto';
import { badUserInput, conflict, notFound, Reason, utcDateOf } from '../../core';
import type { SubgraphContext } from '../kit/subgraph';
import { appointmentConfig } from './config';
import type { AppointmentLoaders } from './loaders';
import { readRegistrationFacts } from './registration-facts';
import { serviceRolesFor, serviceRoleFitsSegment } from './service-role-fit';
import * as store from './store';
import type { Appointment } from './store';
import { withSupplierCover } from './supplier-cover';
import { respondByFor } from './respond-by';
import { writeMessages } from '../kit/outbox';
import { appointmentRequested, appointmentRequestLapsed } from './appointment-messages';

export interface RequestAppointmentInput {
  mpanCore: string;
  serviceRole: string;
  provider: string;
  scenario: 'CHANGE_OF_SUPPLIER' | 'CHANGE_OF_SERVICE_PROVIDER';
  effectiveFrom: string;
  contractReference: string;
}

const MAX_CONTRACT_REFERENCE = 64;

/** Describes appointments for a refusal: "APT-… (SDSB, REQUESTED from 2026-12-20)". */
export function describeAppointments(appointments: readonly Appointment[], caller: string): string {
  // An error names only the caller's own objects (issue 11, item 5): another supplier's pending request (its id,
  // provider, date) is that supplier's business; the caller learns only that one exists.
  const own = appointments.filter((a) => a.supplierId === caller || a.providerId === caller);
  const others = appointments.length - own.length;
  return [
    ...own.map((a) => `${a.id} (${a.providerId}, ${a.decision} from ${a.effectiveFrom})`),
    ...(others > 0 ? [`${others} of another participant's (not named)`] : []),
  ].join(', ');
}

/**
 * A supplier's request to appoint a provider (IF-031), checked against registration data read at request time, then
 * written with its first messages in one transaction: IF-031 supplier → registration, IF-032 registration → supplier
 * (accepted for processing), IF-033 registration → provider. The rules are in the SDL of `Mutation.requestAppointment`.
 */
export async function requestAppointment(input: RequestAppointmentInput, ctx: SubgraphContext<AppointmentLoaders>): Promise<Appointment> {
  const supplierId = ctx.caller.participant;
  const now = ctx.now;
  const today = utcDateOf(now);

  // Checks that need nothing but the input come first: they cost no call to registration.
  if (input.effectiveFrom < today) {
    throw badUserInput(
      Reason.RETROSPECTIVE_APPOINTMENT,
      `effectiveFrom ${input.effectiveFrom} is in the past: appointments take effect from today (${today}, UTC) or a later UTC day, never retrospectively (PRI-020)`,
    );
  }
  const contractReference = input.contractReference.trim();
  if (contractReference.length === 0 || contractReference.length > MAX_CONTRACT_REFERENCE) {
    throw badUserInput(
      Reason.INVALID_CONTRACT_REFERENCE,
      `contractReference must be 1 to ${MAX_CONTRACT_REFERENCE} characters (not blank), got ${contractReference.length}`,
    );
  }

  const [facts, registration] = await Promise.all([
    readRegistrationFacts(ctx.askSubgraph, input.mpanCore, input.effectiveFrom, input.provider),
    ctx.responsibilities.heldAt('SUPPLIER', input.mpanCore, input.effectiveFrom),
  ]);
  // Unknown, out of scope and not registered that day read alike, so a refusal reveals nothing about other suppliers.
  if (!registration || registration.holder !== supplierId) {
    throw notFound(
      Reason.SUPPLIER_NOT_REGISTERED,
      `${supplierId} is not registered for a metering point ${input.mpanCore} on ${input.effectiveFrom}: a supplier may appoint only for metering points it is registered for on the effective date`,
    );
  }
  if (!facts.marketSegment || !serviceRoleFitsSegment(input.serviceRole, facts.marketSegment)) {
    const fitting = facts.marketSegment ? serviceRolesFor(facts.marketSegment)?.join(' or ') : undefined;
    throw badUserInput(
      Reason.SERVICE_ROLE_NOT_FOR_SEGMENT,
      facts.marketSegment
        ? `${input.serviceRole} does not fit the ${facts.marketSegment} market segment of ${input.mpanCore} on ${input.effectiveFrom}: a ${facts.marketSegment} metering point takes ${fitting ?? 'no appointed service'}`
        : `${input.mpanCore} has no market segment in force on ${input.effectiveFrom}, so no service role fits it yet`,
    );
  }
  if (!facts.providerRoles?.includes(input.serviceRole)) {
    throw badUserInput(
      Reason.PROVIDER_NOT_IN_SERVICE_ROLE,
      facts.providerRoles
        ? `provider ${input.provider} does not act as ${input.serviceRole} (it holds ${facts.providerRoles.join(', ') || 'no market role'}): propose a participant that holds ${input.serviceRole}`
        : `provider ${input.provider} is not a known market participant: propose the MPID of a participant that holds ${input.serviceRole}`,
    );
  }
  // A change-of-supplier appointment takes effect from the supply start date; once that day has passed it would be
  // retrospective (PRI-020), so the supplier appoints going forward instead.
  if (input.scenario === 'CHANGE_OF_SUPPLIER' && today > registration.from) {
    throw badUserInput(
      Reason.CHANGE_OF_SUPPLIER_AFTER_SUPPLY_START,
      `a change of supplier (COS) must be processed no later than the supply start date ${registration.from} of ${supplierId}'s registration; today (${today}, UTC) is later: resubmit as CSP (scenario CHANGE_OF_SERVICE_PROVIDER)`,
    );
  }

  return ctx.db.transaction(async (tx) => {
    await store.lockMpanServiceRole(tx, input.mpanCore, input.serviceRole);
    const stored = await store.findOverlappingAppointments(tx, {
      mpanCore: input.mpanCore,
      serviceRole: input.serviceRole,
      effectiveFrom: input.effectiveFrom,
      providerId: input.provider,
      utcToday: today,
    });
    // At a change of supplier the losing supplier's requests lapse and its appointments end at the supply start
    // (supplier-cover.ts): they do not stand in the way, and a lapsed request gives up its place in flight.
    const current = await withSupplierCover(stored, ctx.responsibilities);
    const lapsed = await store.recordLapses(
      tx,
      current.filter((a) => a.decision === 'LAPSED').map((a) => ({ id: a.id, lapseReason: a.lapseReason! })),
    );
    // Each lapse is announced to its provider in this transaction, at the end: a refusal below rolls both back.
    const overlapping = current.filter(
      (a) => a.decision === 'REQUESTED' || (a.decision === 'ACCEPTED' && (a.effectiveTo === null || a.effectiveTo > input.effectiveFrom)),
    );
    if (overlapping.length > 0) {
      throw conflict(
        Reason.OVERLAPPING_APPOINTMENT,
        `${input.mpanCore} has ${input.serviceRole} appointments this request from ${input.effectiveFrom} would overlap: ${describeAppointments(overlapping, supplierId)}. ` +
          "One appointment per MPAN and service role at a time: a request may replace only another provider's appointment in force on its effective date, once no other request or accepted change for that role is pending",
      );
    }
    const appointment = await store.insertAppointment(tx, {
      id: `APT-${randomUUID()}`,
      mpanCore: input.mpanCore,
      serviceRole: input.serviceRole,
      providerId: input.provider,
      supplierId,
      scenario: input.scenario,
      contractReference,
      effectiveFrom: input.effectiveFrom,
      effectiveTo: null,
      decision: 'REQUESTED',
      lapseReason: null,
      requestedAt: now,
      respondBy: respondByFor(now, input.effectiveFrom, appointmentConfig.responseWindowMs),
    });
    const registrationService = appointmentConfig.registrationServiceId;
    await store.appendMessages(tx, appointment.id, [
      {
        interfaceId: 'IF_031',
        fromParticipantId: supplierId,
        toParticipantId: registrationService,
        sentAt: now,
        outcome: null,
        reason: null,
      },
      {
        interfaceId: 'IF_032',
        fromParticipantId: registrationService,
        toParticipantId: supplierId,
        sentAt: now,
        outcome: 'ACCEPTED',
        reason: null,
      },
      {
        interfaceId: 'IF_033',
        fromParticipantId: registrationService,
        toParticipantId: input.provider,
        sentAt: now,
        outcome: null,
        reason: null,
      },
    ]);
    await writeMessages(
      tx,
      'appointment',
      [...lapsed.map((a) => appointmentRequestLapsed(a)), appointmentRequested(appointment, registrationService)],
      now,
    );
    return appointment;
  });
}
