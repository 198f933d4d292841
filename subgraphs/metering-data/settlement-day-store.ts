import type { Database, Queryable } from '../kit/db';

// SQL of the settlement-day aggregation (settlement-day-aggregation.ts): the day's current intervals of a page of
// metering points, summed next to them, with the responsibility facts passed in as arrays (never stored: PRI-001).

/** Facts of one metering point on one UTC day, as its owners answered them for this request (nulls: none in force). */
export interface DayFacts {
  mpanCore: string;
  utcDay: string;
  supplierId: string | null;
  gspGroupId: string | null;
  marketSegment: string | null;
  energisationStatus: string | null;
  energyDirection: string | null;
  bmUnitId: string | null;
  dataServiceId: string | null;
}

/** One row of the answer: a volume group (V), the page's interval counts (C), or an exception candidate (E). */
export interface DayAggregationRow {
  kind: 'V' | 'C' | 'E';
  /** Period index from 0 (V, E). */
  p: number | null;
  mpanCore: string | null;
  exceptionType: 'MISSING_DATA' | 'DATA_FOR_DE_ENERGISED' | 'DATA_SERVICE_NOT_APPOINTED' | null;
  supplierId: string | null;
  gspGroupId: string | null;
  bmUnitId: string | null;
  marketSegment: string | null;
  /** V: none; E: the data service the exception names (null: none appointed). */
  dataServiceId: string | null;
  /** E (DATA_SERVICE_NOT_APPOINTED): the appointed data service. */
  appointedDataServiceId: string | null;
  /** V: the group's energy; E (DATA_FOR_DE_ENERGISED): the period's energy. Micro-kWh as a decimal string. */
  micro: string | null;
  /** V: metering points with actual data; C: intervals read; E (MISSING_DATA): minutes of data received. */
  a: number | null;
  /** V: metering points with estimated data; C: intervals longer than the period; E: minutes of the first too-long interval. */
  b: number | null;
  /** C: settled intervals left out for want of a supplier, GSP group, segment or BM unit. */
  c: number | null;
}

export interface DayAggregationQuery {
  facts: readonly DayFacts[];
  /** The page's metering points (each once). */
  mpanCores: readonly string[];
  dayStart: Date;
  dayEnd: Date;
  periodMinutes: number;
  periodCount: number;
}

/**
 * Aggregates the current active-import intervals of `mpanCores` in [dayStart, dayEnd) in one statement, exactly as the
 * MDS job's `SettlementAggregation` does metering point by metering point (clients/aggregate-volumes.ts): an interval
 * counts in the period it starts in; one longer than the period is left out (PRI-015); a period's facts are those of
 * the UTC day it starts on. Returns the volume groups, one counts row, and the exception candidates (whether each can
 * be reported is the caller's to decide); only those leave the database.
 */
export async function aggregateSettlementDayPage(db: Database | Queryable, q: DayAggregationQuery): Promise<DayAggregationRow[]> {
  const column = <K extends keyof DayFacts>(key: K) => q.facts.map((f) => f[key]);
  // Given a connection already in a transaction (or a recording one, in a test), run there as it is.
  const inTransaction = <T>(work: (tx: Queryable) => Promise<T>) => ('transaction' in db ? db.transaction(work) : work(db));
  return inTransaction(async (tx) => {
    // The page's joins and groupings are hashed in memory rather than sorted: the facts arrive as arrays the planner
    // cannot size, and a merge join would sort every interval of the page twice.
    await tx.query(`SET LOCAL work_mem = '64MB'`);
    await tx.query(`SET LOCAL enable_mergejoin = off`);
    return tx.query(DAY_AGGREGATION_SQL, [
      column('mpanCore'),
      column('utcDay'),
      column('supplierId'),
      column('gspGroupId'),
      column('marketSegment'),
      column('energisationStatus'),
      column('energyDirection'),
      column('bmUnitId'),
      column('dataServiceId'),
      q.mpanCores,
      q.dayStart,
      q.dayEnd,
      q.periodMinutes,
      q.periodCount,
    ]);
  });
}

// $1-$9 the facts by (MPAN, UTC day); $10 the page's MPANs; $11, $12 the day's UTC range; $13 the period length in
// minutes; $14 the number of periods. Each period's facts are those of the UTC day it starts on.
const CURRENT_IMPORT = `c.quantity = 'ACTIVE_IMPORT'`;

/** The first settled interval's data service in a period (optionally one other than `other`), for the rare mixed period. */
const firstDataService = (other: string | null) => `(SELECT c.data_service_id FROM metering_data.consumption_current c
   WHERE c.mpan_core = x.mpan_core AND ${CURRENT_IMPORT} AND c.period_minutes <= $13
     AND c.utc_start >= x.period_start AND c.utc_start < x.period_start + make_interval(mins => $13)
     ${other ? `AND c.data_service_id <> ${other}` : ''}
   ORDER BY c.utc_start LIMIT 1)`;

const DAY_AGGREGATION_SQL = `
WITH facts AS (
  SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
    AS f(mpan_core, utc_day, supplier_id, gsp_group_id, market_segment, energisation_status, energy_direction, bm_unit_id,
         data_service_id)),
periods AS (
  SELECT p, $11::timestamptz + make_interval(mins => p * $13) AS period_start,
         (($11::timestamptz + make_interval(mins => p * $13)) AT TIME ZONE 'UTC')::date AS utc_day
    FROM generate_series(0, $14 - 1) AS p),
-- The day's current import intervals of the page, each with its period.
iv AS MATERIALIZED (
  SELECT c.mpan_core, c.utc_start, c.period_minutes, c.value, c.quality, c.data_service_id,
         (floor(extract(epoch FROM c.utc_start - $11::timestamptz))::bigint / ($13 * 60))::int AS p,
         c.period_minutes = $13 AND extract(epoch FROM c.utc_start - $11::timestamptz) % ($13 * 60) = 0 AS whole
    FROM metering_data.consumption_current c
   WHERE c.mpan_core = ANY($10::text[]) AND ${CURRENT_IMPORT} AND c.utc_start >= $11 AND c.utc_start < $12),
-- Periods holding an interval that is not exactly the period (15-minute data, a longer interval): the rare ones that
-- need summing. Any other period holds one interval that is the whole period, and is taken as it is, ungrouped.
odd AS (SELECT DISTINCT mpan_core, p FROM iv WHERE NOT whole),
-- What each metering point received in each period: sums, counts and bounds (no ordered aggregates, which would sort
-- every group); where the first interval's data service matters and the bounds differ, it is looked up below.
pp AS (
  SELECT mpan_core, p, 1 AS all_n, 1 AS n, $13::int AS minutes, value AS total, quality IN ('ESTIMATED', 'DEEMED') AS estimated,
         data_service_id AS ds_min, data_service_id AS ds_max, NULL::int AS long_min, NULL::int AS long_max
    FROM iv WHERE whole AND NOT EXISTS (SELECT 1 FROM odd WHERE odd.mpan_core = iv.mpan_core AND odd.p = iv.p)
  UNION ALL
  SELECT iv.mpan_core, iv.p,
         count(*)::int,
         count(*) FILTER (WHERE iv.period_minutes <= $13)::int,
         coalesce(sum(iv.period_minutes) FILTER (WHERE iv.period_minutes <= $13), 0)::int,
         coalesce(sum(iv.value) FILTER (WHERE iv.period_minutes <= $13), 0),
         coalesce(bool_or(iv.quality IN ('ESTIMATED', 'DEEMED')) FILTER (WHERE iv.period_minutes <= $13), false),
         min(iv.data_service_id) FILTER (WHERE iv.period_minutes <= $13),
         max(iv.data_service_id) FILTER (WHERE iv.period_minutes <= $13),
         min(iv.period_minutes) FILTER (WHERE iv.period_minutes > $13),
         max(iv.period_minutes) FILTER (WHERE iv.period_minutes > $13)
    FROM iv JOIN odd ON odd.mpan_core = iv.mpan_core AND odd.p = iv.p
   GROUP BY 1, 2),
x AS (
  SELECT pp.*, periods.period_start, f.supplier_id, f.gsp_group_id, f.market_segment, f.energisation_status,
         f.energy_direction, f.bm_unit_id, f.data_service_id
    FROM pp JOIN periods USING (p)
    LEFT JOIN facts f ON f.mpan_core = pp.mpan_core AND f.utc_day = periods.utc_day),
-- Metering points with a period short of data: only they can have MISSING_DATA, so only they are crossed with every period.
short AS (
  SELECT m.mpan_core FROM unnest($10::text[]) AS m(mpan_core)
    LEFT JOIN (SELECT mpan_core, count(*) AS complete FROM pp WHERE minutes = $13 GROUP BY mpan_core) k USING (mpan_core)
   WHERE coalesce(k.complete, 0) < $14)
SELECT 'V' AS kind, p, NULL AS "mpanCore", NULL AS "exceptionType", supplier_id AS "supplierId", gsp_group_id AS "gspGroupId",
       bm_unit_id AS "bmUnitId", market_segment AS "marketSegment", NULL AS "dataServiceId", NULL AS "appointedDataServiceId",
       (sum(total) * 1000000)::bigint::text AS micro, (count(*) FILTER (WHERE NOT estimated))::int AS a,
       (count(*) FILTER (WHERE estimated))::int AS b, NULL::int AS c
  FROM x
 WHERE n > 0 AND supplier_id IS NOT NULL AND gsp_group_id IS NOT NULL AND market_segment IS NOT NULL AND bm_unit_id IS NOT NULL
 GROUP BY p, supplier_id, gsp_group_id, bm_unit_id, market_segment
UNION ALL
SELECT 'C', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, coalesce(sum(all_n), 0)::int, coalesce(sum(all_n - n), 0)::int,
       coalesce(sum(n) FILTER (WHERE n > 0 AND (supplier_id IS NULL OR gsp_group_id IS NULL OR market_segment IS NULL OR bm_unit_id IS NULL)), 0)::int
  FROM x
UNION ALL
SELECT 'E', p, mpan_core, 'DATA_FOR_DE_ENERGISED', supplier_id, NULL, NULL, NULL,
       CASE WHEN ds_min = ds_max THEN ds_min ELSE ${firstDataService(null)} END, NULL, (total * 1000000)::bigint::text, NULL, NULL, NULL
  FROM x WHERE n > 0 AND energisation_status = 'DE_ENERGISED' AND total <> 0
UNION ALL
SELECT 'E', p, mpan_core, 'DATA_SERVICE_NOT_APPOINTED', supplier_id, NULL, NULL, NULL,
       CASE WHEN ds_min = ds_max THEN ds_min ELSE ${firstDataService('x.data_service_id')} END, data_service_id, NULL, NULL, NULL, NULL
  FROM x WHERE n > 0 AND data_service_id IS NOT NULL AND (ds_min <> data_service_id OR ds_max <> data_service_id)
UNION ALL
SELECT 'E', periods.p, short.mpan_core, 'MISSING_DATA', f.supplier_id, NULL, NULL, NULL, f.data_service_id, NULL, NULL,
       coalesce(pp.minutes, 0),
       -- The first too-long interval's length: with one length among them, that one (else the earliest's).
       CASE WHEN pp.long_min = pp.long_max THEN pp.long_min ELSE (
         SELECT c.period_minutes FROM metering_data.consumption_current c
          WHERE c.mpan_core = short.mpan_core AND ${CURRENT_IMPORT} AND c.period_minutes > $13
            AND c.utc_start >= periods.period_start AND c.utc_start < periods.period_start + make_interval(mins => $13)
          ORDER BY c.utc_start LIMIT 1) END,
       NULL
  FROM short CROSS JOIN periods
  JOIN facts f ON f.mpan_core = short.mpan_core AND f.utc_day = periods.utc_day
  LEFT JOIN pp ON pp.mpan_core = short.mpan_core AND pp.p = periods.p
 WHERE coalesce(pp.minutes, 0) <> $13 AND f.supplier_id IS NOT NULL AND f.energisation_status = 'ENERGISED'
   AND f.energy_direction IS DISTINCT FROM 'EXPORT'`;
