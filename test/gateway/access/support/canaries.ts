import { Client } from 'pg';
import type { Actor } from '../../../support/test-keys';
import { canRead, type MarketRole } from '../../../../core';
import { ALL_MPANS, DEMO, mpanAt, POLICY, RUN_ID } from './access-fixtures';
import { RowOwner, rowVisibleTo } from './row-scope';

/** A unique value planted in one database row, and the fields that expose it. */
export interface Canary {
  value: string;
  /** The field coordinates that read this value; a role denied all of them must never receive it. */
  coordinates: string[];
  owner: RowOwner;
}

/** Every canary planted, and how to find them in a response. */
export interface CanaryRegistry {
  canaries: Map<string, Canary>;
  /** Canaries that are numbers, not "CANARY-…" strings: they are searched for one by one. */
  numeric: Canary[];
}

/** A planted string canary: "CANARY-<Type.field>-<row tag>", the tag made of letters, digits, '_' and '-'. */
const CANARY_PATTERN = /CANARY-[A-Za-z]+\.[A-Za-z0-9]+-[A-Za-z0-9_-]+/g;

type Row = Record<string, string | null>;

/** One UPDATE … RETURNING that plants canaries, and how to read each returned row. */
interface Planting {
  sql: string;
  params?: unknown[];
  read(row: Row): Canary[];
}

const utcDay = `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
const tag = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MI')`;

// The subject tables' text columns behind a field that at least one role is denied. Each value names its field and
// row, so a leak report says what leaked from where. Enums, foreign keys and ids other rows point to are left alone.
const PLANTINGS: Planting[] = [
  {
    sql: `UPDATE registration.metering_point SET
            address_line1 = 'CANARY-Address.line1-' || mpan_core, address_line2 = 'CANARY-Address.line2-' || mpan_core,
            address_town = 'CANARY-Address.town-' || mpan_core, address_postcode = 'CANARY-Address.postcode-' || mpan_core,
            profile_class = CASE WHEN profile_class IS NULL THEN NULL ELSE 'CANARY-LegacyTopLine.profileClass-' || mpan_core END,
            meter_timeswitch_code = CASE WHEN profile_class IS NULL THEN NULL ELSE 'CANARY-LegacyTopLine.meterTimeswitchCode-' || mpan_core END,
            line_loss_factor_class = CASE WHEN profile_class IS NULL THEN NULL ELSE 'CANARY-LegacyTopLine.lineLossFactorClass-' || mpan_core END
          RETURNING mpan_core, address_line1, address_line2, address_town, address_postcode, profile_class, meter_timeswitch_code, line_loss_factor_class`,
    read: (row) => {
      const owner: RowOwner = { kind: 'metering-point', mpanCore: row.mpan_core! };
      return [
        ['Address.line1', row.address_line1],
        ['Address.line2', row.address_line2],
        ['Address.town', row.address_town],
        ['Address.postcode', row.address_postcode],
        ['LegacyTopLine.profileClass', row.profile_class],
        ['LegacyTopLine.meterTimeswitchCode', row.meter_timeswitch_code],
        ['LegacyTopLine.lineLossFactorClass', row.line_loss_factor_class],
      ]
        .filter(([, value]) => value !== null)
        .map(([coordinate, value]) => ({ value: value!, coordinates: [coordinate!], owner }));
    },
  },
  {
    sql: `UPDATE registration.standing_data SET duos_tariff_id = 'CANARY-StandingData.duosTariffId-' || mpan_core || '-' || to_char(effective_from, 'YYYYMMDD')
          RETURNING mpan_core, duos_tariff_id`,
    read: (row) => [
      {
        value: row.duos_tariff_id!,
        coordinates: ['StandingData.duosTariffId', 'MeteringPoint.duosTariffId'],
        owner: { kind: 'metering-point', mpanCore: row.mpan_core! },
      },
    ],
  },
  {
    sql: `UPDATE registration.meter SET meter_id = 'CANARY-Meter.meterId-' || mpan_core, location = 'CANARY-Meter.location-' || mpan_core,
            esme_guid = CASE WHEN esme_guid IS NULL THEN NULL ELSE 'CANARY-Meter.esmeGuid-' || mpan_core END
          RETURNING mpan_core, meter_id, location, esme_guid`,
    read: (row) => {
      const owner: RowOwner = { kind: 'metering-point', mpanCore: row.mpan_core! };
      return [
        ['Meter.meterId', row.meter_id],
        ['Meter.location', row.location],
        ['Meter.esmeGuid', row.esme_guid],
      ]
        .filter(([, value]) => value !== null)
        .map(([coordinate, value]) => ({ value: value!, coordinates: [coordinate!], owner }));
    },
  },
  {
    sql: `UPDATE registration.distributor SET duos_tariff_ids = ARRAY['CANARY-Distributor.duosTariffIds-' || id] RETURNING id, duos_tariff_ids[1] AS tariff`,
    read: (row) => [{ value: row.tariff!, coordinates: ['Distributor.duosTariffIds'], owner: { kind: 'central' } }],
  },
  {
    sql: `UPDATE appointment.appointment SET contract_reference = 'CANARY-Appointment.contractReference-' || id
          RETURNING mpan_core, supplier_id, provider_id, contract_reference`,
    read: (row) => [
      {
        value: row.contract_reference!,
        coordinates: ['Appointment.contractReference'],
        owner: { kind: 'appointment', mpanCore: row.mpan_core!, supplierId: row.supplier_id!, providerId: row.provider_id! },
      },
    ],
  },
  {
    sql: `UPDATE appointment.interface_message m SET reason = 'CANARY-InterfaceMessage.reason-' || m.appointment_id || '-' || m.seq
            FROM appointment.appointment a WHERE a.id = m.appointment_id
          RETURNING a.mpan_core, a.supplier_id, a.provider_id, m.reason`,
    read: (row) => [
      {
        value: row.reason!,
        coordinates: ['InterfaceMessage.reason'],
        owner: { kind: 'appointment', mpanCore: row.mpan_core!, supplierId: row.supplier_id!, providerId: row.provider_id! },
      },
    ],
  },
  {
    sql: `UPDATE metering_data.consumption_interval
             SET estimation_method = 'CANARY-ConsumptionInterval.estimationMethod-' || mpan_core || '-' || ${tag('utc_start')} || '-v' || version
           WHERE estimation_method IS NOT NULL
          RETURNING mpan_core, ${utcDay.replace('%s', 'utc_start')} AS day, estimation_method`,
    read: (row) => [
      {
        value: row.estimation_method!,
        coordinates: ['ConsumptionInterval.estimationMethod'],
        owner: { kind: 'dated', mpanCore: row.mpan_core!, day: row.day! },
      },
    ],
  },
  {
    sql: `UPDATE metering_data.meter_reading SET
            site_visit_check_code = 'CANARY-MeterReading.siteVisitCheckCode-' || mpan_core || '-' || ${tag('read_at')} || '-v' || version,
            meter_id = 'CANARY-MeterReading.meterId-' || mpan_core || '-' || ${tag('read_at')} || '-v' || version,
            register_id = 'CANARY-MeterReading.registerId-' || mpan_core || '-' || ${tag('read_at')} || '-v' || version
          RETURNING mpan_core, ${utcDay.replace('%s', 'read_at')} AS day, site_visit_check_code, meter_id, register_id`,
    read: (row) => {
      const owner: RowOwner = { kind: 'dated', mpanCore: row.mpan_core!, day: row.day! };
      return [
        { value: row.site_visit_check_code!, coordinates: ['MeterReading.siteVisitCheckCode'], owner },
        { value: row.meter_id!, coordinates: ['MeterReading.meterId'], owner },
        { value: row.register_id!, coordinates: ['MeterReading.registerId'], owner },
      ];
    },
  },
  {
    sql: `UPDATE metering_data.read_request SET meter_id = 'CANARY-ReadRequest.meterId-' || id RETURNING mpan_core, status, meter_reading_service_id, meter_id`,
    read: (row) => [
      {
        value: row.meter_id!,
        coordinates: ['ReadRequest.meterId'],
        owner: {
          kind: 'read-request',
          mpanCore: row.mpan_core!,
          status: row.status!,
          meterReadingServiceId: row.meter_reading_service_id!,
        },
      },
    ],
  },
  {
    sql: `UPDATE settlement.bsc_party SET name = 'CANARY-BscParty.name-' || id, party_roles = ARRAY['CANARY-BscParty.partyRoles-' || id]
          RETURNING name, party_roles[1] AS party_role`,
    read: (row) => [
      { value: row.name!, coordinates: ['BscParty.name'], owner: { kind: 'central' } },
      { value: row.party_role!, coordinates: ['BscParty.partyRoles'], owner: { kind: 'central' } },
    ],
  },
  {
    sql: `UPDATE settlement.bm_unit SET trading_unit = 'CANARY-BmUnit.tradingUnit-' || id RETURNING trading_unit, lead_party_id`,
    read: (row) => [
      { value: row.trading_unit!, coordinates: ['BmUnit.tradingUnit'], owner: { kind: 'own-party', bscPartyId: row.lead_party_id! } },
    ],
  },
  {
    // A detailed exception for the unmetered data service too, so every data service has rows of its own to see.
    sql: `INSERT INTO settlement.settlement_exception (id, run_id, mpan_core, utc_start, exception_type, supplier_id, data_service_id, detail)
          VALUES ('UDS-EXC', $1, $2, $3, 'MISSING_DATA', 'SUPA', 'UDSA', 'seeded') RETURNING id`,
    params: [RUN_ID, mpanAt(9), '2026-10-25T10:00:00Z'],
    read: () => [],
  },
  {
    sql: `UPDATE settlement.settlement_exception SET id = 'CANARY-SettlementException.id-' || id,
            detail = 'CANARY-SettlementException.detail-' || id
          RETURNING id, detail, supplier_id, data_service_id`,
    read: (row) => {
      const owner: RowOwner = { kind: 'settlement-exception', supplierId: row.supplier_id!, dataServiceId: row.data_service_id! };
      return [
        { value: row.id!, coordinates: ['SettlementException.id'], owner },
        { value: row.detail!, coordinates: ['SettlementException.detail'], owner },
      ];
    },
  },
];

/** CRA attributes of BM units are decimals: each unit gets numbers no demo value can collide with (4 or 3 decimals). */
function numericCanaries(): { sql: string; params: unknown[]; canaries: Canary[] }[] {
  return DEMO.bmUnits.map((unit, index) => {
    const loadFactor = `${41 + index}.2109`;
    const generation = `87654${index}.219`;
    const demand = `98765${index}.321`;
    return {
      sql: `UPDATE settlement.bm_unit SET credit_assessment_load_factor = $2, generation_capacity_mw = $3, demand_capacity_mw = $4 WHERE id = $1`,
      params: [unit.id, loadFactor, generation, demand],
      // Commercially sensitive: a supplier may see them only on units its own party leads.
      canaries: [
        {
          value: loadFactor,
          coordinates: ['BmUnit.creditAssessmentLoadFactor'],
          owner: { kind: 'own-party', bscPartyId: unit.leadPartyId },
        },
        { value: generation, coordinates: ['BmUnit.generationCapacityMw'], owner: { kind: 'own-party', bscPartyId: unit.leadPartyId } },
        { value: demand, coordinates: ['BmUnit.demandCapacityMw'], owner: { kind: 'own-party', bscPartyId: unit.leadPartyId } },
      ],
    };
  });
}

/**
 * Plants canaries in every row of the demo copy at `databaseUrl` (all metering points, appointments, readings, read
 * requests, estimated intervals, BSC parties, BM units, exceptions) and returns where each one is.
 */
export async function plantCanaries(databaseUrl: string): Promise<CanaryRegistry> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const canaries = new Map<string, Canary>();
  const numeric: Canary[] = [];
  try {
    for (const planting of PLANTINGS) {
      const { rows } = await client.query<Row>(planting.sql, planting.params);
      for (const canary of rows.flatMap(planting.read)) {
        if (!canary.value.match(CANARY_PATTERN)?.includes(canary.value))
          throw new Error(`canary ${canary.value} does not match the pattern searched for`);
        if (canaries.has(canary.value)) throw new Error(`canary ${canary.value} planted twice`);
        canaries.set(canary.value, canary);
      }
    }
    for (const planting of numericCanaries()) {
      const { rowCount } = await client.query(planting.sql, planting.params);
      if (rowCount !== 1) throw new Error(`BM unit ${planting.params[0]} not found`);
      numeric.push(...planting.canaries);
    }
  } finally {
    await client.end();
  }
  if (new Set(ALL_MPANS.filter((mpan) => canaries.has(`CANARY-Address.line1-${mpan}`))).size !== ALL_MPANS.length) {
    throw new Error('not every metering point got an address canary');
  }
  return { canaries, numeric };
}

/** Every canary in a response text; unknown "CANARY-…" strings come back as canaries with no coordinates. */
export function canariesIn(text: string, registry: CanaryRegistry): Canary[] {
  const found = new Map<string, Canary>();
  for (const value of text.match(CANARY_PATTERN) ?? []) {
    found.set(value, registry.canaries.get(value) ?? { value, coordinates: [], owner: { kind: 'central' } });
  }
  for (const canary of registry.numeric) if (text.includes(canary.value)) found.set(canary.value, canary);
  return [...found.values()];
}

/** The canaries in `text` of fields `role` may read none of (an unknown canary counts: nobody should see it). */
export function deniedFieldCanaries(text: string, registry: CanaryRegistry, role: MarketRole): string[] {
  return canariesIn(text, registry)
    .filter((canary) => !canary.coordinates.some((coordinate) => canRead(POLICY, role, coordinate)))
    .map((canary) => canary.value);
}

/** The canaries in `text` of rows `actor` may not see, whatever the field. */
export function outOfScopeCanaries(text: string, registry: CanaryRegistry, actor: Actor): string[] {
  return canariesIn(text, registry)
    .filter((canary) => !rowVisibleTo(actor, canary.owner))
    .map((canary) => canary.value);
}
