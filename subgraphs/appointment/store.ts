import type { Queryable } from '../kit/db';
import type { AppointmentRow, DemoDataset, InterfaceMessageRow } from '../kit/dataset';
import { insertRowsIgnoringExisting } from '../kit/insert-rows';

// SQL of the appointment subgraph, and the only place its snake_case columns meet camelCase names.

// Rows read back have the shape the dataset writes.
export type Appointment = Omit<AppointmentRow, 'messages'>;
export type InterfaceMessage = InterfaceMessageRow & { appointmentId: string };

const APPOINTMENT_COLUMNS = `a.id, a.mpan_core AS "mpanCore", a.service_role AS "serviceRole", a.provider_id AS "providerId",
  a.supplier_id AS "supplierId", a.scenario, a.contract_reference AS "contractReference",
  a.effective_from AS "effectiveFrom", a.effective_to AS "effectiveTo", a.decision,
  a.requested_at AS "requestedAt", a.respond_by AS "respondBy"`;

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

/** Every interface message of each appointment, oldest first. */
export async function findMessagesByAppointment(db: Queryable, appointmentIds: readonly string[]): Promise<InterfaceMessage[]> {
  return db.query(
    `SELECT appointment_id AS "appointmentId", interface_id AS "interfaceId", from_participant_id AS "fromParticipantId",
            to_participant_id AS "toParticipantId", sent_at AS "sentAt", outcome, reason
       FROM appointment.interface_message WHERE appointment_id = ANY($1::text[]) ORDER BY appointment_id, seq`,
    [appointmentIds],
  );
}

/** Writes the appointment share of a dataset; existing rows are kept, so seeding twice changes nothing. */
export async function writeAppointmentDataset(tx: Queryable, dataset: DemoDataset): Promise<void> {
  await insertRowsIgnoringExisting(tx, 'appointment.appointment', dataset.appointments);
  await insertRowsIgnoringExisting(
    tx,
    'appointment.interface_message',
    dataset.appointments.flatMap((a) => a.messages.map((message, seq) => ({ appointmentId: a.id, seq, ...message }))),
  );
}

/** The accepted appointment periods of a provider in one service role, for each MPAN core (its row scope). */
export async function findProviderScopes(db: Queryable, providerId: string, serviceRole: string, mpanCores: readonly string[]) {
  return db.query<{ mpanCore: string; from: string; to: string | null }>(
    `SELECT mpan_core AS "mpanCore", effective_from::text AS "from", effective_to::text AS "to"
       FROM appointment.appointment
      WHERE provider_id = $1 AND service_role = $2 AND decision = 'ACCEPTED' AND mpan_core = ANY($3::text[])`,
    [providerId, serviceRole, mpanCores],
  );
}
