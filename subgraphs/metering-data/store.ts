import type { Queryable } from '../kit/db';
import type { IntervalRow, MeteringDataRows, ReadingRow, ReadRequestRow } from './rows';
import { insertRowsIgnoringExisting } from '../kit/insert-rows';
import { copyRowsIgnoringExisting, type CopyingQueryable } from '../kit/copy-rows';

// SQL of the metering-data subgraph, and the only place its snake_case columns meet camelCase names.
// No clock time here: every instant is UTC (PRI-014).

// Rows read back have the shape of the rows this subgraph owns (rows.ts), less what only storage needs.
export type ConsumptionInterval = Omit<IntervalRow, 'supersededAt'>;
export type MeterReading = ReadingRow & { current: boolean };
export type ReadRequest = ReadRequestRow & {
  fulfilledAt: Date | null;
  /** Who raised it through the API, in which role; null for a seeded request. */
  raisedBy: string | null;
  raisedByRole: string | null;
  cancelledAt: Date | null;
  cancellationReason: string | null;
};

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

/**
 * SQL condition: the instant `column` falls on one of the caller's scope days (UTC days, PRI-018), given as a jsonb
 * array of {from, to} in `scope`; a NULL scope means unrestricted.
 */
function inScopeDays(column: string, scope: string): string {
  return `(${scope} IS NULL OR EXISTS (
    SELECT 1 FROM jsonb_to_recordset(${scope}) AS d("from" date, "to" date)
     WHERE ${column} >= d."from"::timestamp AT TIME ZONE 'UTC'
       AND (d."to" IS NULL OR ${column} < d."to"::timestamp AT TIME ZONE 'UTC')))`;
}

/** Scope days as the jsonb text the queries take; null (unrestricted) stays null. */
const scopeParam = (scope: readonly { from: string; to: string | null }[] | null) => (scope ? JSON.stringify(scope) : null);

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
        SELECT * FROM metering_data.consumption_current c
         WHERE c.mpan_core = k.mpan_core AND c.quantity = k.quantity
           AND c.utc_start >= k.range_from AND c.utc_start < k.range_to
           AND (k.after IS NULL OR c.utc_start > k.after)
           AND ${inScopeDays('c.utc_start', 'k.scope')}
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
      keys.map((k) => scopeParam(k.scope)),
    ],
  );
}

const VERSION_COLUMNS = `mpan_core, quantity, utc_start, period_minutes, version, value, quality, estimation_method, data_service_id,
  received_at, de_energised_flag`;

/** Every version of each (MPAN, quantity, UTC start), newest first: the current one and those in history. */
export async function findIntervalVersions(
  db: Queryable,
  keys: readonly { mpanCore: string; quantity: string; utcStart: Date }[],
): Promise<(ConsumptionInterval & { ord: number })[]> {
  return db.query(
    `SELECT k.ord::int AS ord, ${INTERVAL_COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS k(mpan_core, quantity, utc_start, ord)
       JOIN (SELECT ${VERSION_COLUMNS} FROM metering_data.consumption_current
             UNION ALL SELECT ${VERSION_COLUMNS} FROM metering_data.consumption_history) c
         ON c.mpan_core = k.mpan_core AND c.quantity = k.quantity AND c.utc_start = k.utc_start
      ORDER BY k.ord, c.version DESC`,
    [keys.map((k) => k.mpanCore), keys.map((k) => k.quantity), keys.map((k) => k.utcStart)],
  );
}

/**
 * One metering point's current intervals of one quantity and settlement day as arrays in period order (the bulk path):
 * `offsets` holds each value's start in minutes from the day's start, the other arrays its data. One period length
 * per metering point and day (submissions keep it so, PRI-015): `longestPeriodMinutes` differs only if broken.
 */
export interface SeriesRow {
  mpanCore: string;
  periodMinutes: number;
  longestPeriodMinutes: number;
  offsets: number[];
  values: string[];
  qualities: string[];
  estimationMethods: (string | null)[];
  deEnergisedFlags: boolean[];
  versions: number[];
}

/** The arrays of a series, aggregated by PostgreSQL per metering point (and period length) in period order. */
const SERIES_AGGREGATES = `c.mpan_core AS "mpanCore", min(c.period_minutes) AS "periodMinutes",
  max(c.period_minutes) AS "longestPeriodMinutes",
  array_agg(extract(epoch FROM c.utc_start - $DAY_START)::int / 60 ORDER BY c.utc_start) AS offsets,
  array_agg(trim_scale(c.value)::text ORDER BY c.utc_start) AS values,
  array_agg(c.quality ORDER BY c.utc_start) AS qualities,
  array_agg(c.estimation_method ORDER BY c.utc_start) AS "estimationMethods",
  array_agg(c.de_energised_flag ORDER BY c.utc_start) AS "deEnergisedFlags",
  array_agg(c.version ORDER BY c.utc_start) AS versions`;

/** One page of the bulk path: a settlement day's series of the metering points after `after`, in MPAN core order. */
export interface SeriesPageKey {
  quantity: string;
  /** The settlement day as a UTC range [dayStart, dayEnd). */
  dayStart: Date;
  dayEnd: Date;
  /** Only MPAN cores greater than this (keyset); null from the first. */
  after: string | null;
  /** Only these metering points; null: every one with data that day. */
  mpanCores: readonly string[] | null;
  limit: number;
}

/**
 * A page of series, aggregated where the data is: one index scan in key order (MPAN core, then UTC start) over the
 * day's partition, aggregated as it streams and cut at `limit`, so memory holds one page whatever the size of the day
 * (no sort: the index gives the order). Grouped by the distribution column and ordered by it, it runs per shard on
 * Citus.
 */
export async function findSeriesPage(db: Queryable, key: SeriesPageKey): Promise<SeriesRow[]> {
  return db.query(
    `SELECT ${SERIES_AGGREGATES.replaceAll('$DAY_START', '$2::timestamptz')}
       FROM metering_data.consumption_current c
      WHERE c.quantity = $1 AND c.utc_start >= $2 AND c.utc_start < $3
        AND ($4::text IS NULL OR c.mpan_core > $4) AND ($5::text[] IS NULL OR c.mpan_core = ANY($5::text[]))
      GROUP BY c.mpan_core
      ORDER BY c.mpan_core
      LIMIT $6`,
    [key.quantity, key.dayStart, key.dayEnd, key.after, key.mpanCores, key.limit],
  );
}

/** One metering point's series of one settlement day (UTC range [dayStart, dayEnd)). */
export interface SeriesKey {
  mpanCore: string;
  quantity: string;
  dayStart: Date;
  dayEnd: Date;
}

/** The series of many metering-point days at once: one statement, each row tagged with its key's position. */
export async function findSeries(db: Queryable, keys: readonly SeriesKey[]): Promise<(SeriesRow & { ord: number })[]> {
  return db.query(
    `SELECT k.ord::int AS ord, s.*
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
            WITH ORDINALITY AS k(mpan_core, quantity, day_start, day_end, ord)
      CROSS JOIN LATERAL (
        SELECT ${SERIES_AGGREGATES.replaceAll('$DAY_START', 'k.day_start')}
          FROM metering_data.consumption_current c
         WHERE c.mpan_core = k.mpan_core AND c.quantity = k.quantity AND c.utc_start >= k.day_start AND c.utc_start < k.day_end
         GROUP BY c.mpan_core) s
      ORDER BY k.ord`,
    [keys.map((k) => k.mpanCore), keys.map((k) => k.quantity), keys.map((k) => k.dayStart), keys.map((k) => k.dayEnd)],
  );
}

const READING_COLUMNS = `r.mpan_core AS "mpanCore", r.meter_id AS "meterId", r.register_id AS "registerId", r.read_at AS "readAt",
  r.version, trim_scale(r.value)::text AS value, r.method, r.event, r.site_visit_check_code AS "siteVisitCheckCode",
  r.submitted_by AS "submittedBy", r.received_at AS "receivedAt", (r.superseded_at IS NULL) AS current`;

/** Which readings of one MPAN: taken on the caller's scope days (null: unrestricted). */
export interface ReadingsKey {
  mpanCore: string;
  scope: readonly { from: string; to: string | null }[] | null;
}

/** The newest `limit` current readings of each MPAN taken on the caller's scope days. */
export async function findCurrentReadings(
  db: Queryable,
  keys: readonly (ReadingsKey & { limit: number })[],
): Promise<(MeterReading & { ord: number })[]> {
  return db.query(
    `SELECT k.ord::int AS ord, r.*
       FROM unnest($1::text[], $2::int[], $3::jsonb[]) WITH ORDINALITY AS k(mpan_core, row_limit, scope, ord)
      CROSS JOIN LATERAL (
        SELECT ${READING_COLUMNS} FROM metering_data.meter_reading r
         WHERE r.mpan_core = k.mpan_core AND r.superseded_at IS NULL AND ${inScopeDays('r.read_at', 'k.scope')}
         ORDER BY r.read_at DESC, r.meter_id, r.register_id LIMIT k.row_limit) r
      ORDER BY k.ord, r."readAt" DESC`,
    [keys.map((k) => k.mpanCore), keys.map((k) => k.limit), keys.map((k) => scopeParam(k.scope))],
  );
}

/** Every version of every reading of each MPAN taken on the caller's scope days, newest first. */
export async function findReadingHistory(db: Queryable, keys: readonly ReadingsKey[]): Promise<(MeterReading & { ord: number })[]> {
  return db.query(
    `SELECT k.ord::int AS ord, ${READING_COLUMNS}
       FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS k(mpan_core, scope, ord)
       JOIN metering_data.meter_reading r ON r.mpan_core = k.mpan_core AND ${inScopeDays('r.read_at', 'k.scope')}
      ORDER BY k.ord, r.read_at DESC, r.version DESC`,
    [keys.map((k) => k.mpanCore), keys.map((k) => scopeParam(k.scope))],
  );
}

const READ_REQUEST_COLUMNS = `q.id, q.mpan_core AS "mpanCore", q.meter_id AS "meterId", q.reason, q.status,
  q.meter_reading_service_id AS "meterReadingServiceId", q.requested_at AS "requestedAt", q.due_by AS "dueBy",
  q.fulfilled_at AS "fulfilledAt", q.raised_by AS "raisedBy", q.raised_by_role AS "raisedByRole",
  q.cancelled_at AS "cancelledAt", q.cancellation_reason AS "cancellationReason"`;

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

/** The columns of a current interval: an IntervalRow less `supersededAt`. */
const CURRENT_INTERVAL_KEYS: readonly (keyof IntervalRow)[] = [
  'mpanCore',
  'quantity',
  'utcStart',
  'version',
  'periodMinutes',
  'value',
  'quality',
  'estimationMethod',
  'dataServiceId',
  'receivedAt',
  'deEnergisedFlag',
];

/**
 * Writes the metering-data share of a dataset; existing rows are kept, so seeding twice changes nothing. Interval data
 * (millions of rows for load work) streams in with COPY, batch by batch, never all in memory: current versions straight
 * into consumption_current, while the superseded ones (a small share: corrections) are held back and copied into
 * consumption_history after. The month partitions of the dataset's span are created first.
 */
export async function writeMeteringDataDataset(
  tx: CopyingQueryable,
  dataset: MeteringDataRows,
  onIntervals: (written: number) => void = () => undefined,
): Promise<void> {
  if (dataset.intervalSpan) await ensureIntervalPartitions(tx, dataset.intervalSpan.from, dataset.intervalSpan.to);
  const superseded: IntervalRow[] = [];
  function* currentBatches(): Generator<IntervalRow[]> {
    for (const batch of dataset.intervalBatches()) {
      const current = batch.filter((row) => row.supersededAt === null);
      if (current.length < batch.length) superseded.push(...batch.filter((row) => row.supersededAt !== null));
      onIntervals(batch.length - current.length);
      yield current;
    }
  }
  await copyRowsIgnoringExisting(tx, 'metering_data.consumption_current', currentBatches(), {
    onBatch: onIntervals,
    keys: CURRENT_INTERVAL_KEYS,
  });
  await copyRowsIgnoringExisting(tx, 'metering_data.consumption_history', [superseded]);
  const supersededAt = supersessionTimes(dataset.readings);
  await insertRowsIgnoringExisting(
    tx,
    'metering_data.meter_reading',
    dataset.readings.map((reading) => ({ ...reading, supersededAt: supersededAt(reading) })),
  );
  await insertRowsIgnoringExisting(tx, 'metering_data.read_request', dataset.readRequests);
}

/**
 * A reading is superseded when the next version of the same read arrives: derived, so the dataset states only versions.
 * Versions are looked up by key, not searched for, as a large dataset has tens of thousands of readings.
 */
function supersessionTimes(readings: readonly ReadingRow[]): (reading: ReadingRow) => Date | null {
  const key = (r: ReadingRow, version: number) => `${r.mpanCore}|${r.meterId}|${r.registerId}|${r.readAt.getTime()}|${version}`;
  const receivedAt = new Map(readings.map((r) => [key(r, r.version), r.receivedAt]));
  return (reading) => receivedAt.get(key(reading, reading.version + 1)) ?? null;
}

/** The open read requests of each MPAN core: their meter reading service holds it from the day each was raised (PRI-006). */
export async function findOpenReadRequestPeriods(db: Queryable, mpanCores: readonly string[]) {
  return db.query<{ mpanCore: string; holder: string; from: string }>(
    `SELECT mpan_core AS "mpanCore", meter_reading_service_id AS holder, min((requested_at AT TIME ZONE 'UTC')::date)::text AS "from"
       FROM metering_data.read_request WHERE status = 'OPEN' AND mpan_core = ANY($1::text[])
      GROUP BY mpan_core, meter_reading_service_id`,
    [mpanCores],
  );
}

/**
 * Serialises writers of the same metering points until the transaction ends, so reading the current versions and
 * writing the next ones cannot interleave with another submission. Locks are taken in one order to avoid deadlocks.
 */
export async function lockMeteringPoints(tx: Queryable, mpanCores: readonly string[]): Promise<void> {
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('metering_data.metering_point:' || sorted.mpan_core, 0))
       FROM (SELECT DISTINCT mpan_core FROM unnest($1::text[]) AS m(mpan_core) ORDER BY mpan_core) AS sorted`,
    [mpanCores],
  );
}

/** An interval as a data service submits it, checked and ready to store. */
export interface SubmittedInterval {
  mpanCore: string;
  quantity: string;
  utcStart: Date;
  periodMinutes: number;
  value: string;
  quality: string;
  estimationMethod: string | null;
  deEnergisedFlag: boolean;
}

/** Submitted intervals as parallel arrays, the shape `unnest` takes: one array per column, not one parameter per value. */
function intervalColumns(intervals: readonly SubmittedInterval[]) {
  const n = intervals.length;
  const columns = {
    mpanCore: new Array<string>(n),
    quantity: new Array<string>(n),
    // ISO text, which PostgreSQL reads as timestamptz: cheaper to write than the driver's local-time rendering of a Date.
    utcStart: new Array<string>(n),
    periodMinutes: new Array<number>(n),
    value: new Array<string>(n),
    quality: new Array<string>(n),
    estimationMethod: new Array<string | null>(n),
    deEnergisedFlag: new Array<boolean>(n),
  };
  intervals.forEach((interval, i) => {
    columns.mpanCore[i] = interval.mpanCore;
    columns.quantity[i] = interval.quantity;
    columns.utcStart[i] = interval.utcStart.toISOString();
    columns.periodMinutes[i] = interval.periodMinutes;
    columns.value[i] = interval.value;
    columns.quality[i] = interval.quality;
    columns.estimationMethod[i] = interval.estimationMethod;
    columns.deEnergisedFlag[i] = interval.deEnergisedFlag;
  });
  return Object.values(columns);
}

/**
 * Stores submitted intervals against their current versions in one statement: identical to the current version →
 * nothing; different → the current one is copied to history, superseded at `receivedAt`, and replaced in place by the
 * next version; no current version → version 1. Values compare as numbers, so "0.250" equals "0.25". The caller must
 * hold the metering points' locks (`lockMeteringPoints`) so no other writer interleaves.
 *
 * Set-based and current rows only: one probe of the current table per interval, one append to history per changed
 * one, one upsert. History is searched only for the intervals of `replacedRanges`, the MPAN-days whose other period
 * length this transaction moved to history (PRI-015): elsewhere an interval with no current version has no history
 * either (supersession keeps the key current), so its first version is 1.
 */
export async function storeIntervalVersions(
  tx: Queryable,
  dataServiceId: string,
  intervals: readonly SubmittedInterval[],
  receivedAt: Date,
  replacedRanges: readonly MpanRange[] = [],
): Promise<{ unchanged: number; newVersions: number }> {
  let earliest = intervals[0]?.utcStart ?? new Date(0);
  let latest = earliest;
  for (const { utcStart } of intervals) {
    if (utcStart < earliest) earliest = utcStart;
    if (utcStart > latest) latest = utcStart;
  }
  const [counts] = await tx.query<{ unchanged: number; newVersions: number }>(
    `WITH submitted AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::numeric[], $6::text[], $7::text[], $8::boolean[])
                  AS k(mpan_core, quantity, utc_start, period_minutes, value, quality, estimation_method, de_energised_flag)
     ), compared AS (
       SELECT k.*, c AS current_row, c.version AS current_version,
              (c.version IS NOT NULL AND c.value = k.value AND c.period_minutes = k.period_minutes AND c.quality = k.quality
               AND c.estimation_method IS NOT DISTINCT FROM k.estimation_method AND c.data_service_id = $9
               AND c.de_energised_flag = k.de_energised_flag) AS identical
         FROM submitted k
         LEFT JOIN metering_data.consumption_current c
           ON c.mpan_core = k.mpan_core AND c.quantity = k.quantity AND c.utc_start = k.utc_start
          -- Only the submission's metering points and months: partitions pruned, an index scan, never the whole table.
          AND c.mpan_core = ANY($14::text[]) AND c.utc_start >= $15 AND c.utc_start <= $16
     ), archived AS (
       INSERT INTO metering_data.consumption_history
       SELECT (k.current_row).*, $10::timestamptz FROM compared k WHERE k.current_version IS NOT NULL AND NOT k.identical
     ), replaced_current AS (
       UPDATE metering_data.consumption_current c
          SET period_minutes = k.period_minutes, value = k.value, quality = k.quality, estimation_method = k.estimation_method,
              de_energised_flag = k.de_energised_flag, version = k.current_version + 1, data_service_id = $9, received_at = $10
         FROM compared k
        WHERE k.current_version IS NOT NULL AND NOT k.identical AND c.mpan_core = k.mpan_core AND c.quantity = k.quantity AND c.utc_start = k.utc_start
          AND c.mpan_core = ANY($14::text[]) AND c.utc_start >= $15 AND c.utc_start <= $16
       RETURNING 1
     ), replaced_days AS (
       SELECT * FROM unnest($11::text[], $12::timestamptz[], $13::timestamptz[]) AS r(mpan_core, range_from, range_to)
     ), inserted AS (
       INSERT INTO metering_data.consumption_current
              (mpan_core, quantity, utc_start, period_minutes, value, quality, estimation_method, de_energised_flag, version,
               data_service_id, received_at)
       SELECT k.mpan_core, k.quantity, k.utc_start, k.period_minutes, k.value, k.quality, k.estimation_method, k.de_energised_flag,
              1 + CASE WHEN EXISTS (SELECT 1 FROM replaced_days r WHERE r.mpan_core = k.mpan_core
                                      AND k.utc_start >= r.range_from AND k.utc_start < r.range_to)
                       THEN coalesce((SELECT max(h.version) FROM metering_data.consumption_history h
                                       WHERE h.mpan_core = k.mpan_core AND h.quantity = k.quantity AND h.utc_start = k.utc_start), 0)
                       ELSE 0 END,
              $9, $10
         FROM compared k
        WHERE k.current_version IS NULL
       RETURNING version
     )
     SELECT (SELECT count(*) FROM compared WHERE identical)::int AS unchanged,
            (SELECT count(*) FROM replaced_current)::int + (SELECT count(*) FROM inserted WHERE version > 1)::int AS "newVersions"`,
    [
      ...intervalColumns(intervals),
      dataServiceId,
      receivedAt,
      replacedRanges.map((r) => r.mpanCore),
      replacedRanges.map((r) => r.from),
      replacedRanges.map((r) => r.to),
      [...new Set(intervals.map((i) => i.mpanCore))],
      earliest,
      latest,
    ],
  );
  return counts;
}

/**
 * Creates the month partitions of the interval tables covering [from, to) that do not exist yet, in a short
 * transaction of its own: creating one locks its parent until commit, so it must not happen inside a long write.
 */
export async function ensureIntervalPartitions(db: Queryable, from: Date, to: Date): Promise<void> {
  await db.query('SELECT metering_data.ensure_consumption_partitions($1, $2)', [from, to]);
}

/** Every quantity, so a range query uses the current-interval index (mpan_core, quantity, utc_start) for each. */
const QUANTITIES: readonly IntervalRow['quantity'][] = ['ACTIVE_IMPORT', 'ACTIVE_EXPORT', 'REACTIVE_IMPORT', 'REACTIVE_EXPORT'];

/** A UTC range [from, to) of one metering point: a settlement day, as the settlement subgraph gives it. */
export interface MpanRange {
  mpanCore: string;
  from: Date;
  to: Date;
}

/** The current intervals in each range, counted by period length and quantity (`ord`: 1-based position of the range). */
export async function countCurrentIntervalsByLength(
  db: Queryable,
  ranges: readonly MpanRange[],
): Promise<{ ord: number; periodMinutes: number; quantity: string; count: number }[]> {
  return db.query(
    `SELECT k.ord::int AS ord, c.period_minutes AS "periodMinutes", c.quantity, count(*)::int AS count
       FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS k(mpan_core, range_from, range_to, ord)
      CROSS JOIN unnest($4::text[]) AS q(quantity)
       JOIN metering_data.consumption_current c
         ON c.mpan_core = k.mpan_core AND c.quantity = q.quantity
        AND c.utc_start >= k.range_from AND c.utc_start < k.range_to
      GROUP BY k.ord, c.period_minutes, c.quantity`,
    [ranges.map((r) => r.mpanCore), ranges.map((r) => r.from), ranges.map((r) => r.to), QUANTITIES],
  );
}

/**
 * Moves to history, superseded at `at`, the current intervals of each range whose period length is not
 * `keepPeriodMinutes`: a whole-day replacement by another period length (PRI-015). They stay readable through
 * `versions`. Returns how many.
 */
export async function supersedeOtherPeriodLengths(
  tx: Queryable,
  ranges: readonly (MpanRange & { keepPeriodMinutes: number })[],
  at: Date,
): Promise<number> {
  if (ranges.length === 0) return 0;
  const rows = await tx.query<{ count: number }>(
    `WITH superseded AS (
       DELETE FROM metering_data.consumption_current c
        USING unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::int[]) AS k(mpan_core, range_from, range_to, keep)
        CROSS JOIN unnest($6::text[]) AS q(quantity)
        WHERE c.mpan_core = k.mpan_core AND c.quantity = q.quantity
          AND c.utc_start >= k.range_from AND c.utc_start < k.range_to AND c.period_minutes <> k.keep
       RETURNING c.*
     ), archived AS (
       INSERT INTO metering_data.consumption_history SELECT superseded.*, $5::timestamptz FROM superseded RETURNING 1
     )
     SELECT count(*)::int AS count FROM archived`,
    [
      ranges.map((r) => r.mpanCore),
      ranges.map((r) => r.from),
      ranges.map((r) => r.to),
      ranges.map((r) => r.keepPeriodMinutes),
      at,
      QUANTITIES,
    ],
  );
  return rows[0].count;
}

/** A meter register reading as submitted, checked and ready to store. */
export interface SubmittedReading {
  mpanCore: string;
  meterId: string;
  registerId: string;
  readAt: Date;
  value: string;
  method: string;
  event: string;
  siteVisitCheckCode: string | null;
  /** The read request it answers, for a meter reading service's initial read. */
  readRequestId: string | null;
}

function readingColumns(readings: readonly SubmittedReading[]) {
  return [
    readings.map((r) => r.mpanCore),
    readings.map((r) => r.meterId),
    readings.map((r) => r.registerId),
    readings.map((r) => r.readAt),
    readings.map((r) => r.value),
    readings.map((r) => r.method),
    readings.map((r) => r.event),
    readings.map((r) => r.siteVisitCheckCode),
    readings.map((r) => r.readRequestId),
  ];
}

/** The current version of each submitted reading that has one (1-based `ord`), and whether the submission is identical. */
export async function findCurrentReadingVersions(
  tx: Queryable,
  submittedBy: string,
  readings: readonly SubmittedReading[],
): Promise<{ ord: number; version: number; identical: boolean }[]> {
  return tx.query(
    `SELECT k.ord::int AS ord, r.version,
            (r.value = k.value AND r.method = k.method AND r.event = k.event
             AND r.site_visit_check_code IS NOT DISTINCT FROM k.site_visit_check_code AND r.submitted_by = $10
             AND r.read_request_id IS NOT DISTINCT FROM k.read_request_id) AS identical
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::numeric[], $6::text[], $7::text[], $8::text[], $9::text[])
            WITH ORDINALITY AS k(mpan_core, meter_id, register_id, read_at, value, method, event, site_visit_check_code, read_request_id, ord)
       JOIN metering_data.meter_reading r
         ON r.mpan_core = k.mpan_core AND r.meter_id = k.meter_id AND r.register_id = k.register_id AND r.read_at = k.read_at
        AND r.superseded_at IS NULL`,
    [...readingColumns(readings), submittedBy],
  );
}

/** Stores each reading as `version`; a version above 1 first marks the current one superseded (history keeps it). */
export async function writeReadingVersions(
  tx: Queryable,
  submittedBy: string,
  readings: readonly (SubmittedReading & { version: number })[],
  receivedAt: Date,
): Promise<void> {
  const replacing = readings.filter((r) => r.version > 1);
  if (replacing.length > 0) {
    await tx.query(
      `UPDATE metering_data.meter_reading r SET superseded_at = $5
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS k(mpan_core, meter_id, register_id, read_at)
        WHERE r.mpan_core = k.mpan_core AND r.meter_id = k.meter_id AND r.register_id = k.register_id AND r.read_at = k.read_at
          AND r.superseded_at IS NULL`,
      [
        replacing.map((r) => r.mpanCore),
        replacing.map((r) => r.meterId),
        replacing.map((r) => r.registerId),
        replacing.map((r) => r.readAt),
        receivedAt,
      ],
    );
  }
  if (readings.length === 0) return;
  await tx.query(
    `INSERT INTO metering_data.meter_reading
            (mpan_core, meter_id, register_id, read_at, value, method, event, site_visit_check_code, read_request_id, version,
             submitted_by, received_at)
     SELECT k.*, $11, $12
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::numeric[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[])
            AS k(mpan_core, meter_id, register_id, read_at, value, method, event, site_visit_check_code, read_request_id, version)`,
    [...readingColumns(readings), readings.map((r) => r.version), submittedBy, receivedAt],
  );
}

/** One read request, locked until the transaction ends so two answers to it cannot both close it. */
export async function findReadRequestForUpdate(tx: Queryable, id: string): Promise<ReadRequest | null> {
  const rows = await tx.query<ReadRequest>(`SELECT ${READ_REQUEST_COLUMNS} FROM metering_data.read_request q WHERE q.id = $1 FOR UPDATE`, [
    id,
  ]);
  return rows[0] ?? null;
}

/** Closes a read request as answered at `at` and returns it as it is after closing. */
export async function fulfilReadRequest(tx: Queryable, id: string, at: Date): Promise<ReadRequest> {
  const rows = await tx.query<ReadRequest>(
    `UPDATE metering_data.read_request q SET status = 'FULFILLED', fulfilled_at = $2 WHERE q.id = $1 RETURNING ${READ_REQUEST_COLUMNS}`,
    [id, at],
  );
  return rows[0];
}

/** A new open read request, as raised by a supplier or smart data service. */
export interface NewReadRequest {
  id: string;
  mpanCore: string;
  meterId: string;
  reason: ReadRequestRow['reason'];
  meterReadingServiceId: string;
  requestedAt: Date;
  dueBy: Date;
  raisedBy: string;
  raisedByRole: string;
}

/** The open read request of a meter, if any (callers hold the metering point's lock). */
export async function findOpenReadRequestOfMeter(tx: Queryable, mpanCore: string, meterId: string): Promise<ReadRequest | null> {
  const rows = await tx.query<ReadRequest>(
    `SELECT ${READ_REQUEST_COLUMNS} FROM metering_data.read_request q WHERE q.mpan_core = $1 AND q.meter_id = $2 AND q.status = 'OPEN'`,
    [mpanCore, meterId],
  );
  return rows[0] ?? null;
}

/** Writes a new open read request; returns it as read back. */
export async function insertReadRequest(tx: Queryable, row: NewReadRequest): Promise<ReadRequest> {
  const rows = await tx.query<ReadRequest>(
    `INSERT INTO metering_data.read_request AS q
            (id, mpan_core, meter_id, reason, status, meter_reading_service_id, requested_at, due_by, raised_by, raised_by_role)
     VALUES ($1, $2, $3, $4, 'OPEN', $5, $6, $7, $8, $9) RETURNING ${READ_REQUEST_COLUMNS}`,
    [row.id, row.mpanCore, row.meterId, row.reason, row.meterReadingServiceId, row.requestedAt, row.dueBy, row.raisedBy, row.raisedByRole],
  );
  return rows[0];
}

/** Closes an open read request as cancelled at `at`; returns it as read back. */
export async function cancelReadRequest(tx: Queryable, id: string, at: Date, reason: string | null): Promise<ReadRequest> {
  const rows = await tx.query<ReadRequest>(
    `UPDATE metering_data.read_request q SET status = 'CANCELLED', cancelled_at = $2, cancellation_reason = $3
      WHERE q.id = $1 RETURNING ${READ_REQUEST_COLUMNS}`,
    [id, at, reason],
  );
  return rows[0];
}

/** A meter reading service's open read requests, earliest due first: its work list (PRI-006). */
export async function findWorkList(db: Queryable, meterReadingServiceId: string): Promise<ReadRequest[]> {
  return db.query(
    `SELECT ${READ_REQUEST_COLUMNS} FROM metering_data.read_request q
      WHERE q.meter_reading_service_id = $1 AND q.status = 'OPEN' ORDER BY q.due_by, q.id`,
    [meterReadingServiceId],
  );
}

/** A UTC window [from, to) of one metering point in which every period should have data. */
export interface ExpectedWindow {
  mpanCore: string;
  from: Date;
  to: Date;
}

/**
 * Runs of consecutive periods of `periodMinutes` in the windows that current intervals of `quantity` do not settle,
 * oldest first per MPAN core. A period is settled when current intervals no longer than it cover all of it (PRI-015):
 * two quarter hours settle a half hour, one does not; a half-hour interval does not settle a quarter hour (a 15-minute
 * run cannot split it). This is how the aggregation counts a period as missing, so both agree with what is stored.
 * Windows must be aligned to the period length and must not overlap.
 */
export async function findMissingPeriodRuns(
  db: Queryable,
  windows: readonly ExpectedWindow[],
  quantity: string,
  periodMinutes: number,
  shortestPeriodMinutes: number,
): Promise<{ mpanCore: string; from: Date; to: Date; periods: number }[]> {
  return db.query(
    `WITH expected AS (
       SELECT w.mpan_core, s.utc_start
         FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS w(mpan_core, range_from, range_to)
        CROSS JOIN LATERAL generate_series(w.range_from, w.range_to - make_interval(mins => $5), make_interval(mins => $5)) AS s(utc_start)
     ), missing AS (
       -- Missing: some slot of the shortest length inside the period that no current interval up to its length covers.
       SELECT e.mpan_core, e.utc_start FROM expected e
        WHERE EXISTS (
          SELECT 1 FROM generate_series(e.utc_start, e.utc_start + make_interval(mins => $5 - $6), make_interval(mins => $6)) AS slot(utc_start)
           WHERE NOT EXISTS (
             SELECT 1 FROM metering_data.consumption_current c
              WHERE c.mpan_core = e.mpan_core AND c.quantity = $4 AND c.period_minutes <= $5
                AND c.utc_start <= slot.utc_start AND c.utc_start > slot.utc_start - make_interval(mins => $5)
                AND c.utc_start + make_interval(mins => c.period_minutes) > slot.utc_start))
     ), runs AS (
       -- Consecutive missing starts share utc_start minus (position × period length): gaps and islands.
       SELECT mpan_core, utc_start,
              utc_start - make_interval(mins => $5) * (row_number() OVER (PARTITION BY mpan_core ORDER BY utc_start))::float8 AS run
         FROM missing)
     SELECT mpan_core AS "mpanCore", min(utc_start) AS "from", max(utc_start) + make_interval(mins => $5) AS "to", count(*)::int AS periods
       FROM runs GROUP BY mpan_core, run ORDER BY mpan_core, "from"`,
    [windows.map((w) => w.mpanCore), windows.map((w) => w.from), windows.map((w) => w.to), quantity, periodMinutes, shortestPeriodMinutes],
  );
}
