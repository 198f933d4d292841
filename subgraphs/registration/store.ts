import type { Queryable } from '../kit/db';
import type { DemoDataset } from '../kit/dataset';
import { insertRowsIgnoringExisting } from '../kit/insert-rows';

// SQL of the registration subgraph, and the only place its snake_case columns meet camelCase names.

export interface MeteringPoint {
  mpanCore: string;
  distributorId: string;
  address: { line1: string; line2: string | null; town: string; postcode: string };
  legacyTopLine: { profileClass: string; meterTimeswitchCode: string; lineLossFactorClass: string } | null;
}

export interface StandingData {
  mpanCore: string;
  effectiveFrom: string;
  gspGroupId: string;
  marketSegment: string;
  energisationStatus: string;
  connectionType: string;
  energyDirection: string;
  metered: boolean;
  duosTariffId: string;
}

export interface SupplierRegistration {
  mpanCore: string;
  supplierId: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface Meter {
  meterId: string;
  mpanCore: string;
  meterType: string;
  esmeGuid: string | null;
  location: string;
  registerDigits: number;
  installedOn: string;
  assetProviderId: string;
  communicationsFault: boolean;
}

export interface Distributor {
  id: string;
  name: string;
  kind: string;
  participantId: string;
  homeGspGroupId: string | null;
  gspGroupIds: string[];
  duosTariffIds: string[];
}

export interface GspGroup {
  id: string;
  name: string;
}

export interface MarketParticipant {
  id: string;
  name: string;
  roles: string[];
}

/** A (metering point, UTC day) pair: effective-dated data is asked for "as on" a day. */
export interface MpanOnDate {
  mpanCore: string;
  onDate: string;
}

const STANDING_DATA_COLUMNS = `s.mpan_core AS "mpanCore", s.effective_from AS "effectiveFrom", s.gsp_group_id AS "gspGroupId",
  s.market_segment AS "marketSegment", s.energisation_status AS "energisationStatus",
  s.connection_type AS "connectionType", s.energy_direction AS "energyDirection", s.metered,
  s.duos_tariff_id AS "duosTariffId"`;

export async function findMeteringPointsByMpan(db: Queryable, mpanCores: readonly string[]): Promise<MeteringPoint[]> {
  const rows = await db.query(
    `SELECT mpan_core, distributor_id, address_line1, address_line2, address_town, address_postcode,
            profile_class, meter_timeswitch_code, line_loss_factor_class
       FROM registration.metering_point WHERE mpan_core = ANY($1::text[])`,
    [mpanCores],
  );
  return rows.map((row) => ({
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
  }));
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
export async function writeRegistrationDataset(tx: Queryable, dataset: DemoDataset): Promise<void> {
  await insertRowsIgnoringExisting(tx, 'registration.market_participant', dataset.participants);
  await insertRowsIgnoringExisting(tx, 'registration.gsp_group', dataset.gspGroups);
  await insertRowsIgnoringExisting(
    tx,
    'registration.distributor',
    dataset.distributors.map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      participant_id: d.participantId,
      home_gsp_group_id: d.homeGspGroupId,
      duos_tariff_ids: d.duosTariffIds,
    })),
  );
  await insertRowsIgnoringExisting(
    tx,
    'registration.distributor_gsp_group',
    dataset.distributors.flatMap((d) => d.gspGroupIds.map((gsp) => ({ distributor_id: d.id, gsp_group_id: gsp }))),
  );
  await insertRowsIgnoringExisting(
    tx,
    'registration.metering_point',
    dataset.meteringPoints.map((mp) => ({
      mpan_core: mp.mpanCore,
      distributor_id: mp.distributorId,
      address_line1: mp.address.line1,
      address_line2: mp.address.line2,
      address_town: mp.address.town,
      address_postcode: mp.address.postcode,
      profile_class: mp.legacyTopLine?.profileClass ?? null,
      meter_timeswitch_code: mp.legacyTopLine?.meterTimeswitchCode ?? null,
      line_loss_factor_class: mp.legacyTopLine?.lineLossFactorClass ?? null,
    })),
  );
  await insertRowsIgnoringExisting(
    tx,
    'registration.standing_data',
    dataset.standingData.map((s) => ({
      mpan_core: s.mpanCore,
      effective_from: s.effectiveFrom,
      gsp_group_id: s.gspGroupId,
      market_segment: s.marketSegment,
      energisation_status: s.energisationStatus,
      connection_type: s.connectionType,
      energy_direction: s.energyDirection,
      metered: s.metered,
      duos_tariff_id: s.duosTariffId,
    })),
  );
  await insertRowsIgnoringExisting(
    tx,
    'registration.supplier_registration',
    dataset.supplierRegistrations.map((r) => ({
      mpan_core: r.mpanCore,
      supplier_id: r.supplierId,
      effective_from: r.effectiveFrom,
      effective_to: r.effectiveTo,
    })),
  );
  await insertRowsIgnoringExisting(
    tx,
    'registration.meter',
    dataset.meters.map((m) => ({
      meter_id: m.meterId,
      mpan_core: m.mpanCore,
      meter_type: m.meterType,
      esme_guid: m.esmeGuid,
      location: m.location,
      register_digits: m.registerDigits,
      installed_on: m.installedOn,
      asset_provider_id: m.assetProviderId,
      communications_fault: m.communicationsFault,
    })),
  );
}
