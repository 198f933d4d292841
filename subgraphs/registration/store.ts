import type { Queryable } from '../kit/db';
import type {
  DistributorRow,
  GspGroupRow,
  MeterRow,
  MeteringPointRow,
  ParticipantRow,
  RegistrationRows,
  StandingDataRow,
  SupplierRegistrationRow,
} from './rows';
import { insertRowsIgnoringExisting } from '../kit/insert-rows';

// SQL of the registration subgraph, and the only place its snake_case columns meet camelCase names.

// Rows read back have the shape of the rows this subgraph owns (rows.ts).
export type MeteringPoint = MeteringPointRow;
export type StandingData = StandingDataRow;
export type SupplierRegistration = SupplierRegistrationRow;
export type Meter = MeterRow;
export type Distributor = DistributorRow;
export type GspGroup = GspGroupRow;
export type MarketParticipant = ParticipantRow;

/** A (metering point, UTC day) pair: effective-dated data is asked for "as on" a day. */
export interface MpanOnDate {
  mpanCore: string;
  onDate: string;
}

const STANDING_DATA_COLUMNS = `s.mpan_core AS "mpanCore", s.effective_from AS "effectiveFrom", s.gsp_group_id AS "gspGroupId",
  s.market_segment AS "marketSegment", s.energisation_status AS "energisationStatus",
  s.connection_type AS "connectionType", s.energy_direction AS "energyDirection", s.metered,
  s.duos_tariff_id AS "duosTariffId"`;

const METERING_POINT_COLUMNS = `mp.mpan_core, mp.distributor_id, mp.address_line1, mp.address_line2, mp.address_town,
  mp.address_postcode, mp.profile_class, mp.meter_timeswitch_code, mp.line_loss_factor_class`;

// pg types every column as any; this is where its columns get their names and types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toMeteringPoint(row: Record<string, any>): MeteringPoint {
  return {
    mpanCore: row.mpan_core,
    distributorId: row.distributor_id,
    address: { line1: row.address_line1, line2: row.address_line2, town: row.address_town, postcode: row.address_postcode },
    legacyTopLine: row.profile_class
      ? {
          profileClass: row.profile_class,
          meterTimeswitchCode: row.meter_timeswitch_code,
          lineLossFactorClass: row.line_loss_factor_class,
        }
      : null,
  };
}

export async function findMeteringPointsByMpan(db: Queryable, mpanCores: readonly string[]): Promise<MeteringPoint[]> {
  const rows = await db.query(`SELECT ${METERING_POINT_COLUMNS} FROM registration.metering_point mp WHERE mp.mpan_core = ANY($1::text[])`, [
    mpanCores,
  ]);
  return rows.map(toMeteringPoint);
}

/** Which metering points a page lists: all, those a supplier is or was registered for, or those on a distributor's network. */
export type MeteringPointFilter =
  { kind: 'ALL' } | { kind: 'SUPPLIER'; participantId: string } | { kind: 'DISTRIBUTOR'; participantId: string };

/** Up to `limit` metering points after MPAN core `after` (exclusive), in MPAN core order, that pass `filter`. */
export async function findMeteringPointsPage(
  db: Queryable,
  page: { after: string | null; limit: number; filter: MeteringPointFilter },
): Promise<MeteringPoint[]> {
  const { filter } = page;
  const rows = await db.query(
    `SELECT ${METERING_POINT_COLUMNS} FROM registration.metering_point mp
      WHERE ($1::text IS NULL OR mp.mpan_core > $1)
        AND ($2::text IS NULL OR EXISTS (
              SELECT 1 FROM registration.supplier_registration r WHERE r.mpan_core = mp.mpan_core AND r.supplier_id = $2))
        AND ($3::text IS NULL OR mp.distributor_id IN (SELECT d.id FROM registration.distributor d WHERE d.participant_id = $3))
      ORDER BY mp.mpan_core LIMIT $4`,
    [
      page.after,
      filter.kind === 'SUPPLIER' ? filter.participantId : null,
      filter.kind === 'DISTRIBUTOR' ? filter.participantId : null,
      page.limit,
    ],
  );
  return rows.map(toMeteringPoint);
}

/**
 * Locks one metering point for the rest of the transaction, so changes to its registration data are made one at a
 * time; null when it is not registered.
 */
export async function lockMeteringPoint(tx: Queryable, mpanCore: string): Promise<MeteringPoint | null> {
  const rows = await tx.query(
    `SELECT ${METERING_POINT_COLUMNS} FROM registration.metering_point mp WHERE mp.mpan_core = $1 FOR NO KEY UPDATE`,
    [mpanCore],
  );
  return rows.length > 0 ? toMeteringPoint(rows[0]) : null;
}

/** The standing data version in force on each (MPAN, day): the latest effective_from on or before the day. */
export async function findStandingDataOnDates(db: Queryable, keys: readonly MpanOnDate[]): Promise<(StandingData & MpanOnDate)[]> {
  return db.query(
    `SELECT DISTINCT ON (k.ord) k.on_date::text AS "onDate", ${STANDING_DATA_COLUMNS}
       FROM unnest($1::text[], $2::date[]) WITH ORDINALITY AS k(mpan_core, on_date, ord)
       JOIN registration.standing_data s ON s.mpan_core = k.mpan_core AND s.effective_from <= k.on_date
      ORDER BY k.ord, s.effective_from DESC`,
    [keys.map((k) => k.mpanCore), keys.map((k) => k.onDate)],
  );
}

/** Every standing data version of each MPAN, newest first. */
export async function findStandingDataHistory(db: Queryable, mpanCores: readonly string[]): Promise<StandingData[]> {
  return db.query(
    `SELECT ${STANDING_DATA_COLUMNS} FROM registration.standing_data s
      WHERE s.mpan_core = ANY($1::text[]) ORDER BY s.mpan_core, s.effective_from DESC`,
    [mpanCores],
  );
}

const REGISTRATION_COLUMNS = `r.mpan_core AS "mpanCore", r.supplier_id AS "supplierId", r.effective_from AS "effectiveFrom",
  r.effective_to AS "effectiveTo"`;

/** The supplier registration covering each (MPAN, day), if any. */
export async function findSupplierRegistrationsOnDates(
  db: Queryable,
  keys: readonly MpanOnDate[],
): Promise<(SupplierRegistration & MpanOnDate)[]> {
  return db.query(
    `SELECT DISTINCT ON (k.ord) k.on_date::text AS "onDate", ${REGISTRATION_COLUMNS}
       FROM unnest($1::text[], $2::date[]) WITH ORDINALITY AS k(mpan_core, on_date, ord)
       JOIN registration.supplier_registration r ON r.mpan_core = k.mpan_core
        AND r.effective_from <= k.on_date AND (r.effective_to IS NULL OR r.effective_to > k.on_date)
      ORDER BY k.ord, r.effective_from DESC`,
    [keys.map((k) => k.mpanCore), keys.map((k) => k.onDate)],
  );
}

/** Every supplier registration of each MPAN, newest first. */
export async function findSupplierRegistrations(db: Queryable, mpanCores: readonly string[]): Promise<SupplierRegistration[]> {
  return db.query(
    `SELECT ${REGISTRATION_COLUMNS} FROM registration.supplier_registration r
      WHERE r.mpan_core = ANY($1::text[]) ORDER BY r.mpan_core, r.effective_from DESC`,
    [mpanCores],
  );
}

/** The registration of an MPAN with the latest start (in force, ended or still to come); null when it has none. */
export async function findLatestSupplierRegistration(db: Queryable, mpanCore: string): Promise<SupplierRegistration | null> {
  const rows = await db.query<SupplierRegistration>(
    `SELECT ${REGISTRATION_COLUMNS} FROM registration.supplier_registration r
      WHERE r.mpan_core = $1 ORDER BY r.effective_from DESC LIMIT 1`,
    [mpanCore],
  );
  return rows[0] ?? null;
}

/** Ends the registration of `mpanCore` that starts on `effectiveFrom` on the day `endsOn` (exclusive). */
export async function endSupplierRegistration(
  tx: Queryable,
  key: { mpanCore: string; effectiveFrom: string },
  endsOn: string,
): Promise<void> {
  await tx.query(`UPDATE registration.supplier_registration SET effective_to = $3 WHERE mpan_core = $1 AND effective_from = $2`, [
    key.mpanCore,
    key.effectiveFrom,
    endsOn,
  ]);
}

/** Inserts an open-ended supplier registration and returns it as stored. */
export async function insertSupplierRegistration(
  tx: Queryable,
  row: { mpanCore: string; supplierId: string; effectiveFrom: string },
): Promise<SupplierRegistration> {
  const rows = await tx.query<SupplierRegistration>(
    `INSERT INTO registration.supplier_registration AS r (mpan_core, supplier_id, effective_from, effective_to)
     VALUES ($1, $2, $3, NULL) RETURNING ${REGISTRATION_COLUMNS}`,
    [row.mpanCore, row.supplierId, row.effectiveFrom],
  );
  return rows[0];
}

/** Inserts a standing data version; null (nothing written) when the MPAN already has a version from that date. */
export async function insertStandingData(tx: Queryable, row: StandingData): Promise<StandingData | null> {
  const rows = await tx.query<StandingData>(
    `INSERT INTO registration.standing_data AS s (mpan_core, effective_from, gsp_group_id, market_segment, energisation_status,
            connection_type, energy_direction, metered, duos_tariff_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (mpan_core, effective_from) DO NOTHING
     RETURNING ${STANDING_DATA_COLUMNS}`,
    [
      row.mpanCore,
      row.effectiveFrom,
      row.gspGroupId,
      row.marketSegment,
      row.energisationStatus,
      row.connectionType,
      row.energyDirection,
      row.metered,
      row.duosTariffId,
    ],
  );
  return rows[0] ?? null;
}

export async function findMetersByMpan(db: Queryable, mpanCores: readonly string[]): Promise<Meter[]> {
  return db.query(
    `SELECT meter_id AS "meterId", mpan_core AS "mpanCore", meter_type AS "meterType", esme_guid AS "esmeGuid", location,
            register_digits AS "registerDigits", installed_on AS "installedOn", asset_provider_id AS "assetProviderId",
            communications_fault AS "communicationsFault"
       FROM registration.meter WHERE mpan_core = ANY($1::text[]) ORDER BY mpan_core, meter_id`,
    [mpanCores],
  );
}

const DISTRIBUTOR_SELECT = `SELECT d.id, d.name, d.kind, d.participant_id AS "participantId", d.home_gsp_group_id AS "homeGspGroupId",
    d.duos_tariff_ids AS "duosTariffIds",
    COALESCE((SELECT array_agg(g.gsp_group_id ORDER BY g.gsp_group_id) FROM registration.distributor_gsp_group g
               WHERE g.distributor_id = d.id), '{}') AS "gspGroupIds"
  FROM registration.distributor d`;

/** Distributors by id; with no ids, every distributor. */
export async function findDistributors(db: Queryable, ids?: readonly string[]): Promise<Distributor[]> {
  return ids
    ? db.query(`${DISTRIBUTOR_SELECT} WHERE d.id = ANY($1::text[]) ORDER BY d.id`, [ids])
    : db.query(`${DISTRIBUTOR_SELECT} ORDER BY d.id`);
}

/** GSP groups by id; with no ids, every group. */
export async function findGspGroups(db: Queryable, ids?: readonly string[]): Promise<GspGroup[]> {
  return ids
    ? db.query('SELECT id, name FROM registration.gsp_group WHERE id = ANY($1::text[]) ORDER BY id', [ids])
    : db.query('SELECT id, name FROM registration.gsp_group ORDER BY id');
}

export async function findParticipants(db: Queryable, ids: readonly string[]): Promise<MarketParticipant[]> {
  return db.query('SELECT id, name, roles FROM registration.market_participant WHERE id = ANY($1::text[])', [ids]);
}

/** Writes the registration share of a dataset; existing rows are kept, so seeding twice changes nothing. */
export async function writeRegistrationDataset(tx: Queryable, dataset: RegistrationRows): Promise<void> {
  await insertRowsIgnoringExisting(tx, 'registration.market_participant', dataset.participants);
  await insertRowsIgnoringExisting(tx, 'registration.gsp_group', dataset.gspGroups);
  await insertRowsIgnoringExisting(tx, 'registration.distributor', dataset.distributors);
  await insertRowsIgnoringExisting(
    tx,
    'registration.distributor_gsp_group',
    dataset.distributors.flatMap((d) => d.gspGroupIds.map((gspGroupId) => ({ distributorId: d.id, gspGroupId }))),
  );
  await insertRowsIgnoringExisting(
    tx,
    'registration.metering_point',
    dataset.meteringPoints.map(({ address, legacyTopLine, ...mp }) => ({
      ...mp,
      addressLine1: address.line1,
      addressLine2: address.line2,
      addressTown: address.town,
      addressPostcode: address.postcode,
      ...legacyTopLine,
    })),
  );
  await insertRowsIgnoringExisting(tx, 'registration.standing_data', dataset.standingData);
  await insertRowsIgnoringExisting(tx, 'registration.supplier_registration', dataset.supplierRegistrations);
  await insertRowsIgnoringExisting(tx, 'registration.meter', dataset.meters);
}

/** Supplier registration periods of each MPAN core (the SUPPLIER responsibility). */
export async function findSupplierPeriods(db: Queryable, mpanCores: readonly string[]) {
  return db.query<{ mpanCore: string; holder: string; from: string; to: string | null }>(
    `SELECT mpan_core AS "mpanCore", supplier_id AS holder, effective_from::text AS "from", effective_to::text AS "to"
       FROM registration.supplier_registration WHERE mpan_core = ANY($1::text[]) ORDER BY mpan_core, effective_from`,
    [mpanCores],
  );
}

/** The distributor (as a market participant) of each MPAN core, for its whole life: the MPAN core names it. */
export async function findDistributorParticipants(db: Queryable, mpanCores: readonly string[]) {
  return db.query<{ mpanCore: string; holder: string }>(
    `SELECT mp.mpan_core AS "mpanCore", d.participant_id AS holder FROM registration.metering_point mp
       JOIN registration.distributor d ON d.id = mp.distributor_id WHERE mp.mpan_core = ANY($1::text[])`,
    [mpanCores],
  );
}

/**
 * The GSP group periods of each MPAN core: each standing-data version is in force until the next one; consecutive
 * versions in the same GSP group make one period.
 */
export async function findGspGroupPeriods(db: Queryable, mpanCores: readonly string[]) {
  return db.query<{ mpanCore: string; holder: string; from: string; to: string | null }>(
    `SELECT mpan_core AS "mpanCore", gsp_group_id AS holder, min(effective_from)::text AS "from",
            (array_agg(next_from ORDER BY effective_from DESC))[1]::text AS "to"
       FROM (SELECT *, count(*) FILTER (WHERE changed) OVER (PARTITION BY mpan_core ORDER BY effective_from) AS run
               FROM (SELECT mpan_core, effective_from, gsp_group_id,
                            lead(effective_from) OVER w AS next_from,
                            gsp_group_id IS DISTINCT FROM lag(gsp_group_id) OVER w AS changed
                       FROM registration.standing_data WHERE mpan_core = ANY($1::text[])
                     WINDOW w AS (PARTITION BY mpan_core ORDER BY effective_from)) versions) runs
      GROUP BY mpan_core, run, gsp_group_id ORDER BY mpan_core, min(effective_from)`,
    [mpanCores],
  );
}

/** One metering point's registration facts on one UTC day, as settlement aggregation needs them (nulls: not in force). */
export interface SettlementFacts {
  mpanCore: string;
  onDate: string;
  supplierId: string | null;
  gspGroupId: string | null;
  marketSegment: string | null;
  energisationStatus: string | null;
  energyDirection: string | null;
}

/**
 * The first `limit` metering points after MPAN core `after` (keyset, MPAN order), each with its facts on every one of
 * `onDates`, in MPAN then asked-day order: the registration and standing data version in force that day, as
 * `findSupplierRegistrationsOnDates` and `findStandingDataOnDates` pick them.
 */
export async function findSettlementFactsPage(
  db: Queryable,
  page: { after: string | null; limit: number; onDates: readonly string[] },
): Promise<SettlementFacts[]> {
  return db.query(
    `WITH mp AS (
       SELECT mpan_core FROM registration.metering_point
        WHERE ($1::text IS NULL OR mpan_core > $1) ORDER BY mpan_core LIMIT $2)
     SELECT mp.mpan_core AS "mpanCore", d.on_date::text AS "onDate", r.supplier_id AS "supplierId",
            s.gsp_group_id AS "gspGroupId", s.market_segment AS "marketSegment",
            s.energisation_status AS "energisationStatus", s.energy_direction AS "energyDirection"
       FROM mp CROSS JOIN unnest($3::date[]) WITH ORDINALITY AS d(on_date, ord)
       LEFT JOIN LATERAL (
         SELECT r.supplier_id FROM registration.supplier_registration r
          WHERE r.mpan_core = mp.mpan_core AND r.effective_from <= d.on_date
            AND (r.effective_to IS NULL OR r.effective_to > d.on_date)
          ORDER BY r.effective_from DESC LIMIT 1) r ON true
       LEFT JOIN LATERAL (
         SELECT s.gsp_group_id, s.market_segment, s.energisation_status, s.energy_direction
           FROM registration.standing_data s
          WHERE s.mpan_core = mp.mpan_core AND s.effective_from <= d.on_date
          ORDER BY s.effective_from DESC LIMIT 1) s ON true
      ORDER BY mp.mpan_core, d.ord`,
    [page.after, page.limit, page.onDates],
  );
}
