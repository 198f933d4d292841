import type { Queryable } from '../kit/db';
import type { AppointmentRow, AppointmentRows, InterfaceMessageRow } from './rows';
import { insertRowsIgnoringExisting } from '../kit/insert-rows';

// SQL of the appointment subgraph, and the only place its snake_case columns meet camelCase names.

// Rows read back have the shape of the rows this subgraph owns (rows.ts).
export type Appointment = Omit<AppointmentRow, 'messages' | 'lapseReason'> & { lapseReason: string | null };
export type InterfaceMessage = InterfaceMessageRow & { appointmentId: string };

const APPOINTMENT_COLUMNS = `a.id, a.mpan_core AS "mpanCore", a.service_role AS "serviceRole", a.provider_id AS "providerId",
  a.supplier_id AS "supplierId", a.scenario, a.contract_reference AS "contractReference",
  a.effective_from AS "effectiveFrom", a.effective_to AS "effectiveTo", a.decision,
  a.requested_at AS "requestedAt", a.respond_by AS "respondBy", a.lapse_reason AS "lapseReason"`;

export async function findAppointmentsById(db: Queryable, ids: readonly string[]): Promise<Appointment[]> {
  return db.query(`SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a WHERE a.id = ANY($1::text[])`, [ids]);
}

/** Every appointment of each MPAN, newest effective date first. */
export async function findAppointmentsByMpan(db: Queryable, mpanCores: readonly string[]): Promise<Appointment[]> {
  return db.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a
      WHERE a.mpan_core = ANY($1::text[]) ORDER BY a.mpan_core, a.effective_from DESC, a.id`,
    [mpanCores],
  );
}

/** Accepted appointments in force on each (MPAN, UTC day), tagged with the key they answer. */
export async function findAppointmentsInForce(
  db: Queryable,
  keys: readonly { mpanCore: string; onDate: string }[],
): Promise<(Appointment & { onDate: string })[]> {
  return db.query(
    `SELECT k.on_date::text AS "onDate", ${APPOINTMENT_COLUMNS}
       FROM unnest($1::text[], $2::date[]) AS k(mpan_core, on_date)
       JOIN appointment.appointment a ON a.mpan_core = k.mpan_core AND a.decision = 'ACCEPTED'
        AND a.effective_from <= k.on_date AND (a.effective_to IS NULL OR a.effective_to > k.on_date)
      ORDER BY a.mpan_core, a.service_role`,
    [keys.map((k) => k.mpanCore), keys.map((k) => k.onDate)],
  );
}

/**
 * Every interface message of each appointment, oldest first. An accepted appointment in force by `utcToday` that has
 * no stored IF-036 start notice shows one dated on its effective date (registration → provider), so the trail is
 * complete at any instant without a job having to run on the effective date. An IF-036 with a reason is the end notice
 * to an outgoing provider (its appointment ends because another takes over).
 */
export async function findMessagesByAppointment(
  db: Queryable,
  appointmentIds: readonly string[],
  utcToday: string,
  registrationServiceId: string,
): Promise<InterfaceMessage[]> {
  return db.query(
    `SELECT "appointmentId", "interfaceId", "fromParticipantId", "toParticipantId", "sentAt", outcome, reason FROM (
       SELECT appointment_id AS "appointmentId", seq::numeric AS seq, interface_id AS "interfaceId", from_participant_id AS "fromParticipantId",
              to_participant_id AS "toParticipantId", sent_at AS "sentAt", outcome, reason
         FROM appointment.interface_message WHERE appointment_id = ANY($1::text[])
       UNION ALL
       -- Placed before an end notice sent after the effective date (IF-036 with a reason), else last.
       SELECT a.id,
              COALESCE((SELECT min(m.seq) - 0.5 FROM appointment.interface_message m
                         WHERE m.appointment_id = a.id AND m.interface_id = 'IF_036' AND m.reason IS NOT NULL
                           AND m.sent_at > a.effective_from::timestamp AT TIME ZONE 'UTC'), 2147483647),
              'IF_036', $3::text, a.provider_id, a.effective_from::timestamp AT TIME ZONE 'UTC', NULL, NULL
         FROM appointment.appointment a
        WHERE a.id = ANY($1::text[]) AND a.decision = 'ACCEPTED' AND a.effective_from <= $2::date
          AND NOT EXISTS (SELECT 1 FROM appointment.interface_message m
                           WHERE m.appointment_id = a.id AND m.interface_id = 'IF_036' AND m.reason IS NULL)
     ) trail ORDER BY "appointmentId", seq`,
    [appointmentIds, utcToday, registrationServiceId],
  );
}

/**
 * Serialises every change to the appointments of one MPAN and service role until the transaction ends, so of two
 * simultaneous requests the second sees the first.
 */
export async function lockMpanServiceRole(tx: Queryable, mpanCore: string, serviceRole: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`appointment:${mpanCore}:${serviceRole}`]);
}

/**
 * Appointments of the MPAN and service role that a new one from `effectiveFrom` by `providerId` would overlap: an
 * unanswered request; an accepted appointment that has not taken effect by `utcToday` or starts on or after
 * `effectiveFrom`; or the same provider's appointment still in force on `effectiveFrom`. An accepted appointment of
 * another provider in force on `effectiveFrom` is not among them: the new one replaces it.
 */
export async function findOverlappingAppointments(
  tx: Queryable,
  key: { mpanCore: string; serviceRole: string; effectiveFrom: string; providerId: string; utcToday: string; exceptId?: string },
): Promise<Appointment[]> {
  return tx.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a
      WHERE a.mpan_core = $1 AND a.service_role = $2 AND a.id <> $6
        AND (a.decision = 'REQUESTED'
             OR (a.decision = 'ACCEPTED'
                 AND (a.effective_from > $5::date OR a.effective_from >= $3::date
                      OR (a.provider_id = $4 AND (a.effective_to IS NULL OR a.effective_to > $3::date)))))
      ORDER BY a.effective_from, a.id`,
    [key.mpanCore, key.serviceRole, key.effectiveFrom, key.providerId, key.utcToday, key.exceptId ?? ''],
  );
}

/** Writes a new appointment; returns it as read back. */
export async function insertAppointment(tx: Queryable, row: Appointment): Promise<Appointment> {
  const [written] = await tx.query<Appointment>(
    `INSERT INTO appointment.appointment AS a (id, mpan_core, service_role, provider_id, supplier_id, scenario, contract_reference,
            effective_from, effective_to, decision, requested_at, respond_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     RETURNING ${APPOINTMENT_COLUMNS}`,
    [
      row.id,
      row.mpanCore,
      row.serviceRole,
      row.providerId,
      row.supplierId,
      row.scenario,
      row.contractReference,
      row.effectiveFrom,
      row.effectiveTo,
      row.decision,
      row.requestedAt,
      row.respondBy,
    ],
  );
  return written;
}

/** Appends messages to an appointment's trail, after the ones it has. Callers hold the appointment's row lock. */
export async function appendMessages(tx: Queryable, appointmentId: string, messages: readonly InterfaceMessageRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO appointment.interface_message
            (appointment_id, seq, interface_id, from_participant_id, to_participant_id, sent_at, outcome, reason)
     SELECT $1, base.next + m.ord - 1, m.interface_id, m.from_id, m.to_id, m.sent_at, m.outcome, m.reason
       FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
              WITH ORDINALITY AS m(interface_id, from_id, to_id, sent_at, outcome, reason, ord),
            (SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM appointment.interface_message WHERE appointment_id = $1) base`,
    [
      appointmentId,
      messages.map((m) => m.interfaceId),
      messages.map((m) => m.fromParticipantId),
      messages.map((m) => m.toParticipantId),
      messages.map((m) => m.sentAt),
      messages.map((m) => m.outcome),
      messages.map((m) => m.reason),
    ],
  );
}

/** One appointment, locked until the transaction ends so that only one answer to it can be recorded. */
export async function findAppointmentForUpdate(tx: Queryable, id: string): Promise<Appointment | null> {
  const [row] = await tx.query<Appointment>(`SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a WHERE a.id = $1 FOR UPDATE`, [
    id,
  ]);
  return row ?? null;
}

/** Records the provider's decision on an appointment (or the supplier's withdrawal of it); returns it as read back. */
export async function recordDecision(tx: Queryable, id: string, decision: 'ACCEPTED' | 'REJECTED' | 'WITHDRAWN'): Promise<Appointment> {
  const [row] = await tx.query<Appointment>(
    `UPDATE appointment.appointment AS a SET decision = $2 WHERE a.id = $1 RETURNING ${APPOINTMENT_COLUMNS}`,
    [id, decision],
  );
  return row;
}

/** An appointment ended because another took over: what its outgoing provider is told (IF-036). */
export interface EndedAppointment {
  id: string;
  mpanCore: string;
  serviceRole: string;
  providerId: string;
  effectiveTo: string;
}

/**
 * The accepted appointments of `successor`'s MPAN and service role that would still be in force on the day it takes
 * effect (as stored: a change of supplier may end them sooner, supplier-cover.ts), locked until the transaction ends.
 */
export async function findAppointmentsReplacedBy(tx: Queryable, successor: Appointment): Promise<Appointment[]> {
  return tx.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a
      WHERE a.mpan_core = $1 AND a.service_role = $2 AND a.id <> $3 AND a.decision = 'ACCEPTED'
        AND a.effective_from < $4::date AND (a.effective_to IS NULL OR a.effective_to > $4::date)
      ORDER BY a.id FOR UPDATE`,
    [successor.mpanCore, successor.serviceRole, successor.id, successor.effectiveFrom],
  );
}

/** A provider's unanswered requests in one service role, earliest deadline first: its inbox (IF-033). */
export async function findRequestsForProvider(db: Queryable, providerId: string, serviceRole: string): Promise<Appointment[]> {
  return db.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a
      WHERE a.provider_id = $1 AND a.service_role = $2 AND a.decision = 'REQUESTED'
      ORDER BY a.respond_by, a.id`,
    [providerId, serviceRole],
  );
}

/** The unanswered requests of each MPAN core, every service role (the proposed providers' read scope, IF-033). */
export async function findRequestedAppointmentsByMpan(db: Queryable, mpanCores: readonly string[]): Promise<Appointment[]> {
  return db.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a
      WHERE a.decision = 'REQUESTED' AND a.mpan_core = ANY($1::text[]) ORDER BY a.mpan_core, a.effective_from`,
    [mpanCores],
  );
}

/** A supplier's requests still unanswered at `now` whose `respond_by` has passed, oldest deadline first. */
export async function findOverdueAppointmentsOfSupplier(db: Queryable, supplierId: string, now: Date): Promise<Appointment[]> {
  return db.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a
      WHERE a.supplier_id = $1 AND a.decision = 'REQUESTED' AND a.respond_by < $2
      ORDER BY a.respond_by, a.id`,
    [supplierId, now],
  );
}

/** Writes the appointment share of a dataset; existing rows are kept, so seeding twice changes nothing. */
export async function writeAppointmentDataset(tx: Queryable, dataset: AppointmentRows): Promise<void> {
  await insertRowsIgnoringExisting(tx, 'appointment.appointment', dataset.appointments);
  await insertRowsIgnoringExisting(
    tx,
    'appointment.interface_message',
    dataset.appointments.flatMap((a) => a.messages.map((message, seq) => ({ appointmentId: a.id, seq, ...message }))),
  );
}

/** The accepted appointments of each MPAN core, every service role (the appointed-service responsibilities). */
export async function findAcceptedAppointmentsByMpan(db: Queryable, mpanCores: readonly string[]): Promise<Appointment[]> {
  return db.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a
      WHERE a.decision = 'ACCEPTED' AND a.mpan_core = ANY($1::text[]) ORDER BY a.mpan_core, a.effective_from`,
    [mpanCores],
  );
}

/** Records that requests lapsed (their supplier is not registered on their effective date), with the reason. */
export async function recordLapses(
  tx: Queryable,
  lapses: readonly { id: string; lapseReason: string }[],
): Promise<(Appointment & { lapseReason: string })[]> {
  if (lapses.length === 0) return [];
  // Only the requests this call moved to LAPSED come back: each lapse is announced once (appointment-messages.ts).
  return tx.query(
    `UPDATE appointment.appointment a SET decision = 'LAPSED', lapse_reason = l.reason
       FROM unnest($1::text[], $2::text[]) AS l(id, reason) WHERE a.id = l.id AND a.decision = 'REQUESTED'
     RETURNING ${APPOINTMENT_COLUMNS}`,
    [lapses.map((l) => l.id), lapses.map((l) => l.lapseReason)],
  );
}

/** Accepted appointments of a provider in one service role in force on any UTC day of [from, to), by MPAN core. */
export async function findProviderAppointmentsInRange(
  db: Queryable,
  providerId: string,
  serviceRole: string,
  from: string,
  to: string,
): Promise<Appointment[]> {
  return db.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointment.appointment a
      WHERE a.provider_id = $1 AND a.service_role = $2 AND a.decision = 'ACCEPTED'
        AND a.effective_from < $4::date AND (a.effective_to IS NULL OR a.effective_to > $3::date)
      ORDER BY a.mpan_core, a.effective_from`,
    [providerId, serviceRole, from, to],
  );
}

/** The first UTC day a sweep announces changes for: `today` when it first runs here, kept from then on. */
export async function sweepFloor(db: Queryable, sweep: string, today: string): Promise<string> {
  await db.query('INSERT INTO appointment.sweep_floor (sweep, since) VALUES ($1, $2::date) ON CONFLICT DO NOTHING', [sweep, today]);
  const [row] = await db.query<{ since: string }>('SELECT since::text AS since FROM appointment.sweep_floor WHERE sweep = $1', [sweep]);
  return row.since;
}

/**
 * One page of the appointments a change of supplier can still affect, for at most `mpanCount` MPAN cores after
 * `afterMpan` (keyset order): unanswered requests, and accepted appointments not ended before `since`.
 */
export async function findLiveAppointmentsPage(db: Queryable, afterMpan: string, since: string, mpanCount: number): Promise<Appointment[]> {
  return db.query(
    `WITH live AS (
       SELECT * FROM appointment.appointment
        WHERE decision IN ('REQUESTED', 'ACCEPTED') AND (decision = 'REQUESTED' OR effective_to IS NULL OR effective_to > $2::date)),
     page AS (SELECT DISTINCT mpan_core FROM live WHERE mpan_core > $1 ORDER BY mpan_core LIMIT $3)
     SELECT ${APPOINTMENT_COLUMNS} FROM live a JOIN page p ON p.mpan_core = a.mpan_core ORDER BY a.mpan_core, a.id`,
    [afterMpan, since, mpanCount],
  );
}

/**
 * Records that one request or accepted appointment lapsed, if it is still `from`: returns it as read back, or null
 * when another writer (a request that needed its place, another replica's sweep) recorded it first.
 */
export async function recordLapse(
  tx: Queryable,
  id: string,
  from: 'REQUESTED' | 'ACCEPTED',
  lapseReason: string,
): Promise<(Appointment & { lapseReason: string }) | null> {
  const [row] = await tx.query<Appointment & { lapseReason: string }>(
    `UPDATE appointment.appointment a SET decision = 'LAPSED', lapse_reason = $3 WHERE a.id = $1 AND a.decision = $2
     RETURNING ${APPOINTMENT_COLUMNS}`,
    [id, from, lapseReason],
  );
  return row ?? null;
}

/**
 * Ends one accepted appointment on `day` unless it already ends by then: returns it, or null when another writer (an
 * acceptance that replaced it, another replica's sweep) ended it first.
 */
export async function endAppointmentOn(tx: Queryable, id: string, day: string): Promise<EndedAppointment | null> {
  const [row] = await tx.query<EndedAppointment>(
    `UPDATE appointment.appointment SET effective_to = $2::date
      WHERE id = $1 AND decision = 'ACCEPTED' AND effective_from < $2::date AND (effective_to IS NULL OR effective_to > $2::date)
      RETURNING id, mpan_core AS "mpanCore", service_role AS "serviceRole", provider_id AS "providerId", effective_to::text AS "effectiveTo"`,
    [id, day],
  );
  return row ?? null;
}
