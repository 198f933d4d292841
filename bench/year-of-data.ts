import type { DemoDataset } from '../dev/dataset';
import { settlementDay } from '../subgraphs/settlement/settlement-calendar';
import type { Queryable } from '../subgraphs/kit/db';

/** Scenario (c)'s MPAN and range: the 365 settlement days that end on the last seeded day. */
export interface YearOfData {
  mpanCore: string;
  supplierId: string;
  firstDate: string;
  lastDate: string;
  /** UTC range of the year, [from, to). */
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Picks the year's MPAN: one the supplier has been registered to (with no change of supplier) since before the year
 * began, so row scope lets it see every day of the year. Throws when the dataset has none.
 */
export function chooseYearOfData(dataset: DemoDataset, supplierId: string, lastDate: string): YearOfData {
  const firstDate = addDays(lastDate, -364);
  const registration = dataset.supplierRegistrations.find(
    (r) => r.supplierId === supplierId && r.effectiveTo === null && r.effectiveFrom <= firstDate,
  );
  if (!registration) throw new Error(`scenario (c): no MPAN registered to ${supplierId} since ${firstDate}; seed more MPANs (--mpans)`);
  return {
    mpanCore: registration.mpanCore,
    supplierId,
    firstDate,
    lastDate,
    from: settlementDay(firstDate, 30).utcStart,
    to: settlementDay(lastDate, 30).utcEnd,
  };
}

/**
 * Tops the year's MPAN up to a full year of half-hourly active-import intervals: every half hour of the year before
 * `seededFrom` (the first seeded UTC instant) gets a version-1 ACTUAL interval from the MPAN's own data service, in the
 * same table and shape `writeDataset` writes (a daily curve in exact thousandths of a kWh). One statement; existing
 * rows are kept. Returns the number of rows added.
 */
export async function topUpYearOfData(db: Queryable, year: YearOfData, seededFrom: Date): Promise<number> {
  if (seededFrom <= year.from) return 0;
  // Current versions live in month partitions: the year's months are made first.
  await db.query('SELECT metering_data.ensure_consumption_partitions($1, $2)', [year.from, year.to]);
  const rows = await db.query<{ added: number }>(
    `WITH source AS (
       SELECT data_service_id FROM metering_data.consumption_current WHERE mpan_core = $1 AND quantity = 'ACTIVE_IMPORT' LIMIT 1
     ), added AS (
       INSERT INTO metering_data.consumption_current
         (mpan_core, quantity, utc_start, version, period_minutes, value, quality, estimation_method, data_service_id, received_at, de_energised_flag)
       SELECT $1, 'ACTIVE_IMPORT', t, 1, 30,
              round((180 + 144 * greatest(0, sin((extract(hour FROM t AT TIME ZONE 'UTC') + extract(minute FROM t AT TIME ZONE 'UTC') / 60 - 6) / 24 * 2 * pi())))::numeric / 1000, 3),
              'ACTUAL', NULL, source.data_service_id, t + interval '1 day', false
         FROM source, generate_series($2::timestamptz, $3::timestamptz - interval '30 minutes', interval '30 minutes') AS t
       ON CONFLICT DO NOTHING
       RETURNING 1
     )
     SELECT count(*)::int AS added FROM added`,
    [year.mpanCore, year.from, seededFrom < year.to ? seededFrom : year.to],
  );
  return rows[0]?.added ?? 0;
}
