import type { Queryable } from '../kit/db';
import type { DemoDataset, IntervalRow, ReadingRow, ReadRequestRow } from '../kit/dataset';
import { insertRowsIgnoringExisting } from '../kit/insert-rows';

// SQL of the metering-data subgraph, and the only place its snake_case columns meet camelCase names.
// No clock time here: every instant is UTC (PRI-014).

// Rows read back have the shape the dataset writes, less what only storage needs.
export type ConsumptionInterval = Omit<IntervalRow, 'supersededAt'>;
export type MeterReading = ReadingRow & { current: boolean };
export type ReadRequest = ReadRequestRow;

/**
 * One page request: intervals of one MPAN and quantity with utc_start in [from, to), after `after`, within the
 * caller's scope days (null: unrestricted), at most `limit`.
 */
export interface ConsumptionPageKey {
  mpanCore: string;
  quantity: string;
  from: Date;
  to: Date;
  after: Date | null;
  limit: number;
  scope: readonly { from: string; to: string | null }[] | null;
}

const INTERVAL_COLUMNS = `c.mpan_core AS "mpanCore", c.quantity, c.utc_start AS "utcStart", c.period_minutes AS "periodMinutes",
  c.version, trim_scale(c.value)::text AS value, c.quality, c.estimation_method AS "estimationMethod",
  c.data_service_id AS "dataServiceId", c.received_at AS "receivedAt", c.de_energised_flag AS "deEnergisedFlag"`;

/** Current intervals for many pages at once: one statement, each row tagged with the position of its page key. */
export async function findConsumptionPages(
  db: Queryable,
  keys: readonly ConsumptionPageKey[],
): Promise<(ConsumptionInterval & { ord: number })[]> {
  return db.query(
    `SELECT k.ord::int AS ord, ${INTERVAL_COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::jsonb[])
            WITH ORDINALITY AS k(mpan_core, quantity, range_from, range_to, after, row_limit, scope, ord)
      CROSS JOIN LATERAL (
        SELECT * FROM metering_data.consumption_interval c
         WHERE c.mpan_core = k.mpan_core AND c.quantity = k.quantity AND c.superseded_at IS NULL
           AND c.utc_start >= k.range_from AND c.utc_start < k.range_to
           AND (k.after IS NULL OR c.utc_start > k.after)
           -- Scope days are UTC days (PRI-018): an interval is in scope when its UTC start falls on one.
           AND (k.scope IS NULL OR EXISTS (
                 SELECT 1 FROM jsonb_to_recordset(k.scope) AS d("from" date, "to" date)
                  WHERE c.utc_start >= d."from"::timestamp AT TIME ZONE 'UTC'
                    AND (d."to" IS NULL OR c.utc_start < d."to"::timestamp AT TIME ZONE 'UTC')))
         ORDER BY c.utc_start
         LIMIT k.row_limit) c
      ORDER BY k.ord, c.utc_start`,
    [
      keys.map((k) => k.mpanCore),
      keys.map((k) => k.quantity),
      keys.map((k) => k.from),
      keys.map((k) => k.to),
      keys.map((k) => k.after),
      keys.map((k) => k.limit),
      keys.map((k) => (k.scope ? JSON.stringify(k.scope) : null)),
    ],
  );
}

/** Every version of each (MPAN, quantity, UTC start), newest first. */
export async function findIntervalVersions(
  db: Queryable,
  keys: readonly { mpanCore: string; quantity: string; utcStart: Date }[],
): Promise<(ConsumptionInterval & { ord: number })[]> {
  return db.query(
    `SELECT k.ord::int AS ord, ${INTERVAL_COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS k(mpan_core, quantity, utc_start, ord)
       JOIN metering_data.consumption_interval c
         ON c.mpan_core = k.mpan_core AND c.quantity = k.quantity AND c.utc_start = k.utc_start
      ORDER BY k.ord, c.version DESC`,
    [keys.map((k) => k.mpanCore), keys.map((k) => k.quantity), keys.map((k) => k.utcStart)],
  );
}

const READING_COLUMNS = `r.mpan_core AS "mpanCore", r.meter_id AS "meterId", r.register_id AS "registerId", r.read_at AS "readAt",
  r.version, trim_scale(r.value)::text AS value, r.method, r.event, r.site_visit_check_code AS "siteVisitCheckCode",
  r.submitted_by AS "submittedBy", r.received_at AS "receivedAt", (r.superseded_at IS NULL) AS current`;

/** The newest `limit` current readings of each MPAN. */
export async function findCurrentReadings(
  db: Queryable,
  keys: readonly { mpanCore: string; limit: number }[],
): Promise<(MeterReading & { ord: number })[]> {
  return db.query(
    `SELECT k.ord::int AS ord, r.*
       FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS k(mpan_core, row_limit, ord)
      CROSS JOIN LATERAL (
        SELECT ${READING_COLUMNS} FROM metering_data.meter_reading r
         WHERE r.mpan_core = k.mpan_core AND r.superseded_at IS NULL
         ORDER BY r.read_at DESC, r.meter_id, r.register_id LIMIT k.row_limit) r
      ORDER BY k.ord, r."readAt" DESC`,
    [keys.map((k) => k.mpanCore), keys.map((k) => k.limit)],
  );
}

/** Every version of every reading of each MPAN, newest first. */
export async function findReadingHistory(db: Queryable, mpanCores: readonly string[]): Promise<MeterReading[]> {
  return db.query(
    `SELECT ${READING_COLUMNS} FROM metering_data.meter_reading r WHERE r.mpan_core = ANY($1::text[])
      ORDER BY r.mpan_core, r.read_at DESC, r.version DESC`,
    [mpanCores],
  );
}

const READ_REQUEST_COLUMNS = `q.id, q.mpan_core AS "mpanCore", q.meter_id AS "meterId", q.reason, q.status,
  q.meter_reading_service_id AS "meterReadingServiceId", q.requested_at AS "requestedAt", q.due_by AS "dueBy"`;

export async function findReadRequestsById(db: Queryable, ids: readonly string[]): Promise<ReadRequest[]> {
  return db.query(`SELECT ${READ_REQUEST_COLUMNS} FROM metering_data.read_request q WHERE q.id = ANY($1::text[])`, [ids]);
}

/** Read requests of each MPAN, optionally of one status, newest first. */
export async function findReadRequestsByMpan(
  db: Queryable,
  keys: readonly { mpanCore: string; status: string | null }[],
): Promise<(ReadRequest & { ord: number })[]> {
  return db.query(
    `SELECT k.ord::int AS ord, ${READ_REQUEST_COLUMNS}
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(mpan_core, status, ord)
       JOIN metering_data.read_request q ON q.mpan_core = k.mpan_core AND (k.status IS NULL OR q.status = k.status)
      ORDER BY k.ord, q.requested_at DESC`,
    [keys.map((k) => k.mpanCore), keys.map((k) => k.status)],
  );
}

/** Writes the metering-data share of a dataset in chunks; existing rows are kept, so seeding twice changes nothing. */
export async function writeMeteringDataDataset(
  tx: Queryable,
  dataset: DemoDataset,
  onIntervals: (written: number) => void = () => undefined,
): Promise<void> {
  for (const batch of dataset.intervalBatches()) {
    await insertRowsIgnoringExisting(tx, 'metering_data.consumption_interval', batch, batch.length);
    onIntervals(batch.length);
  }
  await insertRowsIgnoringExisting(
    tx,
    'metering_data.meter_reading',
    dataset.readings.map((reading) => ({ ...reading, supersededAt: supersededAt(reading, dataset.readings) })),
  );
  await insertRowsIgnoringExisting(tx, 'metering_data.read_request', dataset.readRequests);
}

/** A reading is superseded when the next version of the same read arrives: derived, so the dataset states only versions. */
function supersededAt(reading: ReadingRow, all: readonly ReadingRow[]): Date | null {
  const next = all.find(
    (later) =>
      later.mpanCore === reading.mpanCore &&
      later.meterId === reading.meterId &&
      later.registerId === reading.registerId &&
      later.readAt.getTime() === reading.readAt.getTime() &&
      later.version === reading.version + 1,
  );
  return next?.receivedAt ?? null;
}

/** The MPAN cores among `mpanCores` with an open read request for meter reading service `participantId` (its scope). */
export async function findMpansWithOpenReadRequests(db: Queryable, participantId: string, mpanCores: readonly string[]) {
  return db.query<{ mpanCore: string }>(
    `SELECT DISTINCT mpan_core AS "mpanCore" FROM metering_data.read_request
      WHERE meter_reading_service_id = $1 AND status = 'OPEN' AND mpan_core = ANY($2::text[])`,
    [participantId, mpanCores],
  );
}
