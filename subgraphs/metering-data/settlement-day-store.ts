import type { Queryable } from '../kit/db';

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
export async function aggregateSettlementDayPage(db: Queryable, q: DayAggregationQuery): Promise<DayAggregationRow[]> {
  const column = <K extends keyof DayFacts>(key: K) => q.facts.map((f) => f[key]);
  return db.query(
    `WITH facts AS (
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS f(mpan_core, utc_day, supplier_id, gsp_group_id, market_segment, energisation_status, energy_direction, bm_unit_id,
              data_service_id)),
     periods AS (
       SELECT p, ((($11::timestamptz + make_interval(mins => p * $13)) AT TIME ZONE 'UTC')::date) AS utc_day
         FROM generate_series(0, $14 - 1) AS p),
     iv AS (
       SELECT c.mpan_core, c.utc_start, c.period_minutes, c.value, c.quality, c.data_service_id,
              floor(extract(epoch FROM c.utc_start - $11::timestamptz) / ($13 * 60))::int AS p,
              c.period_minutes <= $13 AS settled
         FROM metering_data.consumption_current c
        WHERE c.mpan_core = ANY($10::text[]) AND c.quantity = 'ACTIVE_IMPORT'
          AND c.utc_start >= $11 AND c.utc_start < $12),
     pp AS MATERIALIZED (
       SELECT iv.mpan_core, iv.p,
              count(*)::int AS all_n,
              count(*) FILTER (WHERE iv.settled)::int AS n,
              coalesce(sum(iv.period_minutes) FILTER (WHERE iv.settled), 0)::int AS minutes,
              coalesce(sum(iv.value) FILTER (WHERE iv.settled), 0) AS total,
              coalesce(bool_or(iv.quality IN ('ESTIMATED', 'DEEMED')) FILTER (WHERE iv.settled), false) AS estimated,
              (array_agg(iv.data_service_id ORDER BY iv.utc_start) FILTER (WHERE iv.settled))[1] AS first_ds,
              (array_agg(iv.data_service_id ORDER BY iv.utc_start)
                 FILTER (WHERE iv.settled AND f.data_service_id IS NOT NULL AND iv.data_service_id <> f.data_service_id))[1] AS foreign_ds,
              (array_agg(iv.period_minutes ORDER BY iv.utc_start) FILTER (WHERE NOT iv.settled))[1] AS too_long_minutes
         FROM iv
         JOIN periods ON periods.p = iv.p
         LEFT JOIN facts f ON f.mpan_core = iv.mpan_core AND f.utc_day = periods.utc_day
        GROUP BY iv.mpan_core, iv.p),
     -- Every period of every metering point of the page, with its facts and what it received (nothing: no pp row).
     mp_periods AS (
       SELECT m.mpan_core, periods.p, f.supplier_id, f.gsp_group_id, f.market_segment, f.energisation_status,
              f.energy_direction, f.bm_unit_id, f.data_service_id, pp.n, pp.minutes, pp.total, pp.estimated, pp.first_ds,
              pp.foreign_ds, pp.too_long_minutes
         FROM unnest($10::text[]) AS m(mpan_core)
        CROSS JOIN periods
         LEFT JOIN facts f ON f.mpan_core = m.mpan_core AND f.utc_day = periods.utc_day
         LEFT JOIN pp ON pp.mpan_core = m.mpan_core AND pp.p = periods.p)
     SELECT 'V' AS kind, p, NULL AS "mpanCore", NULL AS "exceptionType", supplier_id AS "supplierId",
            gsp_group_id AS "gspGroupId", bm_unit_id AS "bmUnitId", market_segment AS "marketSegment",
            NULL AS "dataServiceId", NULL AS "appointedDataServiceId", (sum(total) * 1000000)::bigint::text AS micro,
            (count(*) FILTER (WHERE NOT estimated))::int AS a, (count(*) FILTER (WHERE estimated))::int AS b, NULL::int AS c
       FROM mp_periods
      WHERE n > 0 AND supplier_id IS NOT NULL AND gsp_group_id IS NOT NULL AND market_segment IS NOT NULL AND bm_unit_id IS NOT NULL
      GROUP BY p, supplier_id, gsp_group_id, bm_unit_id, market_segment
     UNION ALL
     SELECT 'C', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            coalesce((SELECT sum(all_n) FROM pp), 0)::int, coalesce((SELECT sum(all_n - n) FROM pp), 0)::int,
            coalesce(sum(n) FILTER (WHERE supplier_id IS NULL OR gsp_group_id IS NULL OR market_segment IS NULL OR bm_unit_id IS NULL), 0)::int
       FROM mp_periods WHERE n > 0
     UNION ALL
     SELECT 'E', p, mpan_core, 'DATA_FOR_DE_ENERGISED', supplier_id, NULL, NULL, NULL, first_ds, NULL,
            (total * 1000000)::bigint::text, NULL, NULL, NULL
       FROM mp_periods WHERE n > 0 AND energisation_status = 'DE_ENERGISED' AND total <> 0
     UNION ALL
     SELECT 'E', p, mpan_core, 'DATA_SERVICE_NOT_APPOINTED', supplier_id, NULL, NULL, NULL, foreign_ds, data_service_id,
            NULL, NULL, NULL, NULL
       FROM mp_periods WHERE n > 0 AND foreign_ds IS NOT NULL
     UNION ALL
     SELECT 'E', p, mpan_core, 'MISSING_DATA', supplier_id, NULL, NULL, NULL, data_service_id, NULL,
            NULL, coalesce(minutes, 0), too_long_minutes, NULL
       FROM mp_periods
      WHERE coalesce(minutes, 0) <> $13 AND supplier_id IS NOT NULL AND energisation_status = 'ENERGISED'
        AND energy_direction IS DISTINCT FROM 'EXPORT'`,
    [
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
    ],
  );
}
