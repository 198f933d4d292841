import type { DemoDataset } from './dataset';
import type { MeterRow, StandingDataRow, SupplierRegistrationRow } from '../subgraphs/registration/rows';
import type { IntervalRow, ReadingRow, ReadRequestRow } from '../subgraphs/metering-data/rows';
import type { AppointmentRow, InterfaceMessageRow } from '../subgraphs/appointment/rows';
import type { AggregatedVolumeRow, SettlementExceptionRow } from '../subgraphs/settlement/rows';
import { formatMicroUnits, makeMpanCore, parseMicroUnits } from '../core';
import { SettlementDay, settlementDay, settlementPeriodOf } from '../subgraphs/settlement/settlement-calendar';

// The demo market: fixed participants and reference data, and MPANs generated from their index alone, so the same
// options always give the same dataset (no randomness, no clock read: the seeding instant is an option).
//
// Most of it is history with fixed dates (registrations, consumption on the 2026 clock-change days, readings). What a
// demo needs to stay "in flight" whenever it is started (a requested appointment awaiting an answer, one overdue, an
// accepted change of data service still to take effect, open read requests) is placed relative to the day it is
// seeded, so its meaning does not rot. Seeded on 2026-11-27, the relative rows fall on the dates the demo always had.

export interface DatasetOptions {
  /** Number of metering points. */
  mpanCount: number;
  /** Settlement dates (UK local days) for which half-hourly consumption is generated. */
  settlementDates: string[];
  /** Settlement date of the one demo settlement run (SF), which must be among `settlementDates`; none when null. */
  runDate: string | null;
  periodMinutes?: number;
  /** Interval rows per batch handed to the writer. */
  batchSize?: number;
  /** The business instant of seeding: in-flight appointments and open read requests are placed relative to its UTC day. */
  seededAt: Date;
}

/** The 7 demo days: both 2026 clock changes (46 periods on 29 March, 50 on 25 October) and the days around them. */
export const DEMO_SETTLEMENT_DATES = ['2026-03-28', '2026-03-29', '2026-03-30', '2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27'];
export const DEMO_RUN_DATE = '2026-10-25';
export const DEMO_MPAN_COUNT = 50;

/**
 * The deterministic demo dataset `npm start` seeds at `seededAt` (its business clock): 50 MPANs, 7 days of consumption,
 * one settlement run.
 */
export function buildDemoDataset(seededAt: Date): DemoDataset {
  return buildDataset({ mpanCount: DEMO_MPAN_COUNT, settlementDates: DEMO_SETTLEMENT_DATES, runDate: DEMO_RUN_DATE, seededAt });
}

/** The UTC day `days` after (or before, when negative) the UTC day `day`, "YYYY-MM-DD". */
function dayAfter(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Consecutive settlement dates starting at `first`. */
export function consecutiveDates(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => dayAfter(first, i));
}

const SUPPLIERS = ['SUPA', 'SUPB', 'SUPC'];
/** Every fifth MPAN changed supplier on this day. */
const SUPPLY_CHANGE_DATE = '2025-06-01';
const PARTICIPANTS = [
  { id: 'SUPA', name: 'Aurora Energy Supply', roles: ['SUPPLIER'] },
  { id: 'SUPB', name: 'Brightwater Power', roles: ['SUPPLIER'] },
  { id: 'SUPC', name: 'Cobalt Electricity', roles: ['SUPPLIER'] },
  { id: 'SDSA', name: 'Alpha Smart Data Services', roles: ['SMART_DATA_SERVICE'] },
  { id: 'SDSB', name: 'Beacon Smart Data', roles: ['SMART_DATA_SERVICE'] },
  { id: 'MRSA', name: 'Alpha Meter Reading', roles: ['METER_READING_SERVICE'] },
  { id: 'ADSA', name: 'Apex Advanced Data Services', roles: ['ADVANCED_DATA_SERVICE'] },
  { id: 'UDSA', name: 'Umbra Unmetered Data Services', roles: ['UNMETERED_DATA_SERVICE'] },
  { id: 'MSSA', name: 'Sigma Smart Metering', roles: ['SMART_METERING_SERVICE'] },
  { id: 'MSAA', name: 'Atlas Advanced Metering', roles: ['ADVANCED_METERING_SERVICE'] },
  { id: 'LOND', name: 'London Power Networks', roles: ['DISTRIBUTOR'] },
  { id: 'MIDE', name: 'Midlands West Networks', roles: ['DISTRIBUTOR'] },
  { id: 'IPNL', name: 'Independent Power Networks', roles: ['DISTRIBUTOR'] },
  { id: 'RSVC', name: 'Registration Service', roles: ['REGISTRATION_SERVICE'] },
  { id: 'MDSV', name: 'Market-wide Data Service', roles: ['MARKET_WIDE_DATA_SERVICE'] },
  { id: 'VASV', name: 'Volume Allocation Service', roles: ['VOLUME_ALLOCATION_SERVICE'] },
  { id: 'CRAG', name: 'Central Registration Agent', roles: ['CENTRAL_REGISTRATION_AGENT'] },
];

const GSP_GROUPS = [
  ['_A', 'Eastern'],
  ['_B', 'East Midlands'],
  ['_C', 'London'],
  ['_D', 'Merseyside and North Wales'],
  ['_E', 'Midlands'],
  ['_F', 'Northern'],
  ['_G', 'North Western'],
  ['_H', 'Southern'],
  ['_J', 'South Eastern'],
  ['_K', 'South Wales'],
  ['_L', 'South Western'],
  ['_M', 'Yorkshire'],
  ['_N', 'South Scotland'],
  ['_P', 'North Scotland'],
].map(([id, name]) => ({ id, name }));

const DISTRIBUTORS = [
  {
    id: '12',
    name: 'London Power Networks',
    kind: 'DNO' as const,
    participantId: 'LOND',
    homeGspGroupId: '_C',
    gspGroupIds: ['_C'],
    duosTariffIds: ['LDN-DOM1', 'LDN-HH1', 'LDN-UMS1'],
  },
  {
    id: '14',
    name: 'Midlands West Networks',
    kind: 'DNO' as const,
    participantId: 'MIDE',
    homeGspGroupId: '_E',
    gspGroupIds: ['_E'],
    duosTariffIds: ['MID-DOM1', 'MID-HH1', 'MID-UMS1'],
  },
  {
    id: '24',
    name: 'Independent Power Networks',
    kind: 'IDNO' as const,
    participantId: 'IPNL',
    homeGspGroupId: null,
    gspGroupIds: ['_A', '_C', '_E', '_H'],
    duosTariffIds: ['IPN-DOM1', 'IPN-HH1', 'IPN-UMS1'],
  },
];

type Segment = StandingDataRow['marketSegment'];

/** Everything about MPAN number `index` follows from the index. */
function describeMpan(index: number) {
  const distributor = index % 5 === 4 ? DISTRIBUTORS[2] : DISTRIBUTORS[index % 2];
  const gspGroupId = distributor.homeGspGroupId ?? (index % 2 === 0 ? '_C' : '_E');
  const segment: Segment = index % 10 < 6 ? 'SMART' : index % 10 < 9 ? 'ADVANCED' : 'UNMETERED';
  const tariffSuffix = segment === 'SMART' ? 0 : segment === 'ADVANCED' ? 1 : 2;
  return {
    mpanCore: makeMpanCore(distributor.id, 42 + index * 7919),
    distributor,
    gspGroupId,
    segment,
    duosTariffId: distributor.duosTariffIds[tariffSuffix],
    supplierId: SUPPLIERS[index % 3],
    previousSupplierId: index % 5 === 0 ? SUPPLIERS[(index + 1) % 3] : null,
    deEnergised: index % 7 === 3,
    dataServiceId: segment === 'SMART' ? 'SDSA' : segment === 'ADVANCED' ? 'ADSA' : 'UDSA',
    dataServiceRole: `${segment}_DATA_SERVICE`,
    meteringServiceId: segment === 'SMART' ? 'MSSA' : segment === 'ADVANCED' ? 'MSAA' : null,
    meteringServiceRole: segment === 'UNMETERED' ? null : `${segment}_METERING_SERVICE`,
    meterType: segment === 'UNMETERED' ? null : segment === 'ADVANCED' ? 'ADVANCED' : index % 10 === 4 ? 'TRADITIONAL' : 'SMART',
    communicationsFault: segment === 'SMART' && index % 10 === 5,
  } as const;
}

const at = (iso: string) => new Date(iso);

/** Builds a dataset deterministically from the options. */
export function buildDataset(options: DatasetOptions): DemoDataset {
  const periodMinutes = options.periodMinutes ?? 30;
  const seededOn = options.seededAt.toISOString().slice(0, 10);
  const mpans = Array.from({ length: options.mpanCount }, (_, index) => ({ index, ...describeMpan(index) }));

  const standingData: StandingDataRow[] = [];
  const supplierRegistrations: SupplierRegistrationRow[] = [];
  const meters: MeterRow[] = [];
  const appointments: AppointmentRow[] = [];
  const readings: ReadingRow[] = [];
  const readRequests: ReadRequestRow[] = [];

  for (const mp of mpans) {
    const base: StandingDataRow = {
      mpanCore: mp.mpanCore,
      effectiveFrom: '2024-01-01',
      gspGroupId: mp.gspGroupId,
      marketSegment: mp.segment,
      energisationStatus: 'ENERGISED',
      connectionType: mp.segment === 'ADVANCED' ? 'CURRENT_TRANSFORMER' : 'WHOLE_CURRENT',
      energyDirection: 'IMPORT',
      metered: mp.segment !== 'UNMETERED',
      duosTariffId: mp.duosTariffId,
    };
    standingData.push(base);
    // De-energisation is a later version of the standing data, so the history shows the change.
    if (mp.deEnergised) standingData.push({ ...base, effectiveFrom: '2026-02-01', energisationStatus: 'DE_ENERGISED' });

    if (mp.previousSupplierId) {
      supplierRegistrations.push({
        mpanCore: mp.mpanCore,
        supplierId: mp.previousSupplierId,
        effectiveFrom: '2024-01-01',
        effectiveTo: SUPPLY_CHANGE_DATE,
      });
      supplierRegistrations.push({
        mpanCore: mp.mpanCore,
        supplierId: mp.supplierId,
        effectiveFrom: SUPPLY_CHANGE_DATE,
        effectiveTo: null,
      });
    } else {
      supplierRegistrations.push({ mpanCore: mp.mpanCore, supplierId: mp.supplierId, effectiveFrom: '2024-01-01', effectiveTo: null });
    }

    const meterId = mp.meterType ? `M${mp.mpanCore.slice(2, 12)}` : null;
    if (mp.meterType && meterId) {
      meters.push({
        meterId,
        mpanCore: mp.mpanCore,
        meterType: mp.meterType,
        esmeGuid:
          mp.meterType === 'SMART'
            ? `00-db-12-ff-fe-${mp.mpanCore.slice(7, 9)}-${mp.mpanCore.slice(9, 11)}-${mp.mpanCore.slice(11, 13)}`
            : null,
        location: mp.segment === 'ADVANCED' ? 'Plant room' : 'Under stairs',
        registerDigits: mp.segment === 'ADVANCED' ? 7 : 6,
        installedOn: '2023-06-15',
        assetProviderId: mp.meteringServiceId ?? 'MSSA',
        communicationsFault: mp.communicationsFault,
      });
      readings.push(...buildReadings(mp.index, mp.mpanCore, meterId, mp.meterType === 'SMART' ? mp.dataServiceId : 'MRSA'));
      // The open request was raised a week before seeding and is due a week after it. A traditional meter's requests
      // are raised by its supplier, a smart meter's with a communications fault by its smart data service (PRI-006).
      if (mp.meterType === 'TRADITIONAL' || mp.communicationsFault) {
        const raiser = mp.communicationsFault
          ? { raisedBy: mp.dataServiceId, raisedByRole: 'SMART_DATA_SERVICE' }
          : { raisedBy: mp.supplierId, raisedByRole: 'SUPPLIER' };
        readRequests.push(
          {
            id: `RR-${mp.mpanCore}-1`,
            mpanCore: mp.mpanCore,
            meterId,
            status: 'FULFILLED',
            meterReadingServiceId: 'MRSA',
            reason: mp.communicationsFault ? 'SMART_COMMS_FAULT' : 'NON_SMART_METER',
            requestedAt: at('2026-06-01T09:00:00Z'),
            dueBy: at('2026-06-15T17:00:00Z'),
            ...raiser,
          },
          {
            id: `RR-${mp.mpanCore}-2`,
            mpanCore: mp.mpanCore,
            meterId,
            status: 'OPEN',
            meterReadingServiceId: 'MRSA',
            reason: mp.communicationsFault ? 'SMART_COMMS_FAULT' : 'NON_SMART_METER',
            requestedAt: at(`${dayAfter(seededOn, -7)}T09:00:00Z`),
            dueBy: at(`${dayAfter(seededOn, 7)}T17:00:00Z`),
            ...raiser,
          },
        );
      }
    }
    appointments.push(...buildAppointments(mp, seededOn));
  }

  const batchSize = options.batchSize ?? 10_000;
  // Each settlement day once, not once per MPAN: the calendar's time-zone arithmetic is the costly part of a row.
  const days = new Map(options.settlementDates.map((date) => [date, settlementDay(date, periodMinutes)]));
  const countIntervals = () => {
    let count = 0;
    for (const mp of mpans) for (const day of days.values()) count += countDayIntervals(mp, day);
    return count;
  };
  const intervalsOf = (mp: (typeof mpans)[number], date: string) =>
    buildDayIntervals(mp, days.get(date) ?? settlementDay(date, periodMinutes), periodMinutes);
  // MPAN by MPAN in key order, each MPAN's days in date order: rows arrive in primary-key order, so a bulk load appends
  // to the indexes instead of touching a random page per row.
  const mpansInKeyOrder = [...mpans].sort((a, b) => (a.mpanCore < b.mpanCore ? -1 : a.mpanCore > b.mpanCore ? 1 : 0));

  const runDate = options.runDate;
  const settlement = runDate
    ? buildSettlementRun(
        runDate,
        mpans,
        mpans.flatMap((mp) => intervalsOf(mp, runDate)),
        periodMinutes,
      )
    : null;

  return {
    participants: PARTICIPANTS,
    gspGroups: GSP_GROUPS,
    distributors: DISTRIBUTORS,
    meteringPoints: mpans.map((mp) => ({
      mpanCore: mp.mpanCore,
      distributorId: mp.distributor.id,
      address: {
        line1: `${1 + mp.index} ${['Station Road', 'High Street', 'Mill Lane', 'Church Street', 'Park Avenue'][mp.index % 5]}`,
        line2: mp.index % 3 === 0 ? `Flat ${1 + (mp.index % 9)}` : null,
        town: mp.gspGroupId === '_C' ? 'London' : 'Birmingham',
        postcode: mp.gspGroupId === '_C' ? `SE1 ${1 + (mp.index % 9)}AB` : `B${1 + (mp.index % 30)} 2CD`,
      },
      legacyTopLine:
        mp.segment === 'UNMETERED'
          ? null
          : {
              profileClass: mp.segment === 'SMART' ? '01' : '00',
              meterTimeswitchCode: '801',
              lineLossFactorClass: mp.segment === 'SMART' ? 'A01' : 'H12',
            },
    })),
    standingData,
    supplierRegistrations,
    meters,
    appointments,
    // Counted once with the same per-period rule the rows are built from, without building them: exact for progress bars.
    intervalCount: countIntervals(),
    intervalSpan: intervalSpan([...days.values()]),
    *intervalBatches() {
      let batch: IntervalRow[] = [];
      for (const mp of mpansInKeyOrder) {
        for (const date of options.settlementDates) {
          for (const interval of intervalsOf(mp, date)) {
            batch.push(interval);
            if (batch.length >= batchSize) {
              yield batch;
              batch = [];
            }
          }
        }
      }
      if (batch.length > 0) yield batch;
    },
    readings,
    readRequests,
    bscParties: [
      {
        id: 'AURORA',
        name: 'Aurora Energy Supply plc',
        partyRoles: ['SUPPLIER', 'TRADER'],
        qualificationStatus: 'QUALIFIED',
        effectiveFrom: '2019-04-01',
        effectiveTo: null,
      },
      {
        id: 'BRIGHTW',
        name: 'Brightwater Power Ltd',
        partyRoles: ['SUPPLIER'],
        qualificationStatus: 'QUALIFIED',
        effectiveFrom: '2020-10-01',
        effectiveTo: null,
      },
      {
        id: 'COBALT',
        name: 'Cobalt Electricity Ltd',
        partyRoles: ['SUPPLIER'],
        qualificationStatus: 'PENDING',
        effectiveFrom: '2026-01-01',
        effectiveTo: null,
      },
      {
        id: 'STAYGEN',
        name: 'Staythorpe Generation Ltd',
        partyRoles: ['GENERATOR', 'TRADER'],
        qualificationStatus: 'QUALIFIED',
        effectiveFrom: '2010-07-01',
        effectiveTo: null,
      },
    ],
    // Each supplier MPID acts for its own BSC party: what lets it read its own units' CALF and capacities, and not
    // another's (@access ownPartyOnly). The generator STAYGEN has no MPID here.
    bscPartyParticipants: SUPPLIERS.map((participantId, s) => ({ participantId, bscPartyId: SUPPLIER_PARTIES[s] })),
    bmUnits: [
      ...SUPPLIERS.flatMap((supplierId, s) =>
        ['_C', '_E'].map((gsp) => ({
          id: supplierBmUnitId(supplierId, gsp),
          leadPartyId: SUPPLIER_PARTIES[s],
          gspGroupId: gsp,
          kind: 'SUPPLIER' as const,
          creditAssessmentLoadFactor: (0.35 + s * 0.05).toFixed(4),
          generationCapacityMw: '0.000',
          demandCapacityMw: (120 + s * 40 + (gsp === '_C' ? 25 : 0)).toFixed(3),
          tradingUnit: null,
          effectiveFrom: '2024-01-01',
          effectiveTo: null,
        })),
      ),
      ADDITIONAL_BM_UNIT,
      {
        id: 'T_STAY-2',
        leadPartyId: 'STAYGEN',
        gspGroupId: '_E',
        kind: 'DIRECTLY_CONNECTED',
        creditAssessmentLoadFactor: '0.8500',
        generationCapacityMw: '425.000',
        demandCapacityMw: '8.500',
        tradingUnit: 'TU_STAYTHORPE',
        effectiveFrom: '2010-07-01',
        effectiveTo: null,
      },
    ],
    // Every supplier's base unit in _C and _E; Brightwater also has an additional unit in _C it may allocate.
    supplierBmUnits: [
      ...SUPPLIERS.flatMap((supplierId) =>
        ['_C', '_E'].map((gspGroupId) => ({ bmUnitId: supplierBmUnitId(supplierId, gspGroupId), supplierId, gspGroupId, base: true })),
      ),
      { bmUnitId: ADDITIONAL_BM_UNIT.id, supplierId: 'SUPB', gspGroupId: '_C', base: false },
    ],
    // No allocation is needed: a metering point is in its registered supplier's base unit of its GSP group.
    bmUnitAllocations: [],
    settlementRuns: settlement ? [settlement.run] : [],
    aggregatedVolumes: settlement?.volumes ?? [],
    settlementExceptions: settlement?.exceptions ?? [],
  };
}

/** The BSC party each demo supplier (SUPA, SUPB, SUPC) acts for. */
const SUPPLIER_PARTIES = ['AURORA', 'BRIGHTW', 'COBALT'];

/** Brightwater's second unit in London, for `allocateBmUnit`. */
const ADDITIONAL_BM_UNIT = {
  id: '2__CSUPB002',
  leadPartyId: 'BRIGHTW',
  gspGroupId: '_C',
  kind: 'SUPPLIER' as const,
  creditAssessmentLoadFactor: '0.4000',
  generationCapacityMw: '0.000',
  demandCapacityMw: '40.000',
  tradingUnit: null,
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
};

/** The base unit of a supplier in a GSP group. */
function supplierBmUnitId(supplierId: string, gspGroupId: string): string {
  return `2__${gspGroupId.slice(1)}${supplierId}001`;
}

// MPAN 7 misses three periods on the run date, so the run has MISSING_DATA exceptions to show (PRI-010).
const GAP_MPAN_INDEX = 7;
const GAP_PERIODS = [20, 21, 22];

type DemoMpan = ReturnType<typeof describeMpan> & { index: number };

/** What one MPAN has for one period of a day: nothing (a gap), an actual or an estimate, or an estimate later corrected. */
type PeriodKind = 'GAP' | 'ACTUAL' | 'ESTIMATED' | 'CORRECTED';

function periodKind(mp: DemoMpan, day: SettlementDay, period: number): PeriodKind {
  if (mp.index === GAP_MPAN_INDEX && day.settlementDate === DEMO_RUN_DATE && GAP_PERIODS.includes(period)) return 'GAP';
  const dayNumber = Math.floor(day.utcStart.getTime() / 86_400_000);
  const estimated = mp.segment !== 'UNMETERED' && (mp.index + period + dayNumber) % 17 === 0;
  // An estimate replaced by an actual reading a day later: version 1 stays readable, version 2 is current.
  return !estimated ? 'ACTUAL' : mp.index % 2 === 0 ? 'CORRECTED' : 'ESTIMATED';
}

/** The number of rows (versions) `buildDayIntervals` gives for one MPAN and day. */
function countDayIntervals(mp: DemoMpan, day: SettlementDay): number {
  let count = 0;
  for (let period = 1; period <= day.periodCount; period++) {
    const kind = periodKind(mp, day, period);
    count += kind === 'GAP' ? 0 : kind === 'CORRECTED' ? 2 : 1;
  }
  return count;
}

/** The UTC range the settlement days cover, from the first day's start to the last day's end. */
function intervalSpan(days: readonly SettlementDay[]): { from: Date; to: Date } | null {
  if (days.length === 0) return null;
  const from = Math.min(...days.map((day) => day.utcStart.getTime()));
  const to = Math.max(...days.map((day) => day.utcEnd.getTime()));
  return { from: new Date(from), to: new Date(to) };
}

/** One MPAN's active-import intervals of one settlement day: a daily shape, some estimates and one corrected value. */
function buildDayIntervals(mp: DemoMpan, day: SettlementDay, periodMinutes: number): IntervalRow[] {
  const rows: IntervalRow[] = [];
  const dayNumber = Math.floor(day.utcStart.getTime() / 86_400_000);
  const deEnergisedNow = mp.deEnergised && day.settlementDate >= '2026-02-01';
  // Shared by the day's rows (rows are plain data, never mutated): millions of rows need not mean millions of Dates.
  const receivedAt = new Date(day.utcEnd.getTime() + 6 * 3_600_000);
  const correctedAt = new Date(receivedAt.getTime() + 86_400_000);
  for (let period = 1; period <= day.periodCount; period++) {
    const kind = periodKind(mp, day, period);
    if (kind === 'GAP') continue;
    const utcStart = new Date(day.utcStart.getTime() + (period - 1) * periodMinutes * 60_000);
    const hour = utcStart.getUTCHours() + utcStart.getUTCMinutes() / 60;
    // Thousandths of a kWh, so every value is an exact decimal with three places.
    const shape = 1 + Math.round(800 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI))) / 1000;
    const scale = mp.segment === 'SMART' ? 180 : mp.segment === 'ADVANCED' ? 6500 : 250;
    const milliKwh =
      mp.segment === 'UNMETERED'
        ? scale
        : Math.round(scale * shape * (periodMinutes / 30)) + ((mp.index * 37 + period * 11 + dayNumber) % 97);
    const estimated = kind !== 'ACTUAL';
    const row: IntervalRow = {
      mpanCore: mp.mpanCore,
      quantity: 'ACTIVE_IMPORT',
      utcStart,
      periodMinutes,
      version: 1,
      value: (milliKwh / 1000).toFixed(3),
      quality: mp.segment === 'UNMETERED' ? 'UMS_CALCULATED' : estimated ? 'ESTIMATED' : 'ACTUAL',
      estimationMethod: estimated ? 'PROFILE_SHAPE' : null,
      dataServiceId: mp.dataServiceId,
      receivedAt,
      deEnergisedFlag: deEnergisedNow,
      supersededAt: null,
    };
    if (kind === 'CORRECTED') {
      rows.push({ ...row, supersededAt: correctedAt });
      rows.push({
        ...row,
        version: 2,
        quality: 'ACTUAL',
        estimationMethod: null,
        value: ((milliKwh + 13) / 1000).toFixed(3),
        receivedAt: correctedAt,
      });
    } else {
      rows.push(row);
    }
  }
  return rows;
}

/** Monthly routine readings; one in four meters has a corrected reading, so reading history has two versions. */
function buildReadings(index: number, mpanCore: string, meterId: string, submittedBy: string): ReadingRow[] {
  const months = ['2026-08-01', '2026-09-01', '2026-10-01'];
  const rows: ReadingRow[] = months.map((month, m) => ({
    mpanCore,
    meterId,
    registerId: '1',
    readAt: at(`${month}T00:00:00Z`),
    version: 1,
    value: (10_000 + index * 131 + m * 245.5).toFixed(3),
    method: submittedBy === 'MRSA' ? 'PHYSICAL' : 'REMOTE',
    event: 'ROUTINE',
    siteVisitCheckCode: submittedBy === 'MRSA' ? 'SV01' : null,
    submittedBy,
    receivedAt: at(`${month}T06:00:00Z`),
  }));
  if (index % 4 === 0)
    rows.push({ ...rows[1], version: 2, value: (Number(rows[1].value) + 1.5).toFixed(3), receivedAt: at('2026-09-03T10:00:00Z') });
  return rows;
}

/** The message trail of an appointment exchange (PRI-003: two-way; PRI-007: outcomes reach the supplier via registration). */
function trail(
  supplierId: string,
  providerId: string,
  requestedAt: Date,
  outcome: 'ACCEPTED' | 'REJECTED' | null,
  reason: string | null,
  activated: boolean,
): InterfaceMessageRow[] {
  const later = (hours: number) => new Date(requestedAt.getTime() + hours * 3_600_000);
  const messages: InterfaceMessageRow[] = [
    { interfaceId: 'IF_031', fromParticipantId: supplierId, toParticipantId: 'RSVC', sentAt: requestedAt, outcome: null, reason: null },
    {
      interfaceId: 'IF_032',
      fromParticipantId: 'RSVC',
      toParticipantId: supplierId,
      sentAt: later(0.1),
      outcome: 'ACCEPTED',
      reason: null,
    },
    { interfaceId: 'IF_033', fromParticipantId: 'RSVC', toParticipantId: providerId, sentAt: later(0.2), outcome: null, reason: null },
  ];
  if (outcome) {
    messages.push(
      { interfaceId: 'PROVIDER_RESPONSE', fromParticipantId: providerId, toParticipantId: 'RSVC', sentAt: later(20), outcome, reason },
      { interfaceId: 'IF_035', fromParticipantId: 'RSVC', toParticipantId: supplierId, sentAt: later(20.1), outcome, reason },
    );
  }
  if (activated)
    messages.push({
      interfaceId: 'IF_036',
      fromParticipantId: 'RSVC',
      toParticipantId: providerId,
      sentAt: later(24 * 14),
      outcome: null,
      reason: null,
    });
  return messages;
}

/**
 * Current data and metering service appointments plus, for some MPANs, ended, future, pending and rejected ones. The
 * in-flight ones are placed relative to `seededOn`, the UTC day of seeding (see the top of this file).
 */
function buildAppointments(mp: DemoMpan, seededOn: string): AppointmentRow[] {
  const day = (offset: number) => dayAfter(seededOn, offset);
  const rows: AppointmentRow[] = [];
  const make = (
    suffix: string,
    serviceRole: string,
    providerId: string,
    decision: AppointmentRow['decision'],
    effectiveFrom: string,
    effectiveTo: string | null,
    requested: string,
    reason: string | null = null,
  ): AppointmentRow => {
    const requestedAt = at(requested);
    // An appointment serves the supplier registered on its effective date: before a change of supplier, the previous one.
    const supplierId = mp.previousSupplierId && effectiveFrom < SUPPLY_CHANGE_DATE ? mp.previousSupplierId : mp.supplierId;
    return {
      id: `APT-${mp.mpanCore}-${suffix}`,
      mpanCore: mp.mpanCore,
      serviceRole,
      providerId,
      supplierId,
      scenario: suffix === 'DS1' && mp.previousSupplierId ? 'CHANGE_OF_SUPPLIER' : 'CHANGE_OF_SERVICE_PROVIDER',
      contractReference: `CTR-${supplierId}-${providerId}-${mp.index}`,
      effectiveFrom,
      effectiveTo,
      decision,
      requestedAt,
      respondBy: new Date(requestedAt.getTime() + 5 * 86_400_000),
      messages: trail(
        supplierId,
        providerId,
        requestedAt,
        decision === 'ACCEPTED' || decision === 'REJECTED' ? decision : null,
        reason,
        decision === 'ACCEPTED' && effectiveFrom <= seededOn,
      ),
    };
  };
  const futureChange = mp.index % 6 === 1 && mp.segment === 'SMART';
  if (mp.index % 5 === 0)
    rows.push(
      make(
        'DS0',
        mp.dataServiceRole,
        mp.segment === 'SMART' ? 'SDSB' : mp.dataServiceId,
        'ACCEPTED',
        '2024-01-01',
        '2025-06-01',
        '2023-12-01T10:00:00Z',
      ),
    );
  rows.push(
    make(
      'DS1',
      mp.dataServiceRole,
      mp.dataServiceId,
      'ACCEPTED',
      mp.index % 5 === 0 ? '2025-06-01' : '2024-01-01',
      futureChange ? day(18) : null,
      mp.index % 5 === 0 ? '2025-05-01T10:00:00Z' : '2023-12-01T10:00:00Z',
    ),
  );
  if (mp.meteringServiceRole && mp.meteringServiceId)
    if (mp.previousSupplierId) {
      // The previous supplier's metering service ended with its registration; the new supplier appointed the same one.
      rows.push(
        make('MS0', mp.meteringServiceRole, mp.meteringServiceId, 'ACCEPTED', '2024-01-01', SUPPLY_CHANGE_DATE, '2023-12-01T11:00:00Z'),
        make('MS1', mp.meteringServiceRole, mp.meteringServiceId, 'ACCEPTED', SUPPLY_CHANGE_DATE, null, '2025-05-01T11:00:00Z'),
      );
    } else {
      rows.push(make('MS1', mp.meteringServiceRole, mp.meteringServiceId, 'ACCEPTED', '2024-01-01', null, '2023-12-01T11:00:00Z'));
    }
  // An accepted change of data service taking effect in 18 days; requests awaiting an answer (those asked 15 days ago
  // are overdue); a rejected one.
  if (futureChange) rows.push(make('DS2', mp.dataServiceRole, 'SDSB', 'ACCEPTED', day(18), null, `${day(-17)}T09:00:00Z`));
  if (mp.index % 6 === 2)
    rows.push(
      make(
        'DS3',
        mp.dataServiceRole,
        mp.segment === 'SMART' ? 'SDSB' : mp.dataServiceId,
        'REQUESTED',
        day(23),
        null,
        `${day(mp.index % 12 === 2 ? -15 : -2)}T09:00:00Z`,
      ),
    );
  if (mp.index % 6 === 3)
    rows.push(
      make(
        'DS4',
        mp.dataServiceRole,
        mp.segment === 'SMART' ? 'SDSB' : mp.dataServiceId,
        'REJECTED',
        day(4),
        null,
        `${day(-25)}T09:00:00Z`,
        'No contract in place with the requesting supplier',
      ),
    );
  return rows;
}

/** The demo SF run: volumes aggregated from the run date's current intervals, and the exceptions found. */
function buildSettlementRun(runDate: string, mpans: DemoMpan[], intervals: IntervalRow[], periodMinutes: number) {
  const runId = `RUN-${runDate}-SF`;
  const byMpan = new Map(mpans.map((mp) => [mp.mpanCore, mp]));
  const groups = new Map<string, AggregatedVolumeRow & { micro: bigint; mpans: Set<string> }>();
  for (const interval of intervals) {
    if (interval.supersededAt) continue;
    const mp = byMpan.get(interval.mpanCore)!;
    const bmUnitId = supplierBmUnitId(mp.supplierId, mp.gspGroupId);
    const key = [interval.utcStart.toISOString(), mp.supplierId, mp.gspGroupId, bmUnitId, mp.segment].join('|');
    let group = groups.get(key);
    if (!group) {
      group = {
        runId,
        utcStart: interval.utcStart,
        supplierId: mp.supplierId,
        gspGroupId: mp.gspGroupId,
        bmUnitId,
        marketSegment: mp.segment,
        volume: '0',
        mpanCount: 0,
        actualCount: 0,
        estimatedCount: 0,
        micro: 0n,
        mpans: new Set(),
      };
      groups.set(key, group);
    }
    group.micro += parseMicroUnits(interval.value);
    group.mpans.add(interval.mpanCore);
    if (interval.quality === 'ESTIMATED') group.estimatedCount++;
    else group.actualCount++;
  }
  const volumes: AggregatedVolumeRow[] = [...groups.values()].map(({ micro, mpans: members, ...row }) => ({
    ...row,
    // Three places, as the demo's interval values have.
    volume: formatMicroUnits(micro, 3),
    mpanCount: members.size,
  }));

  const exceptions: SettlementExceptionRow[] = [];
  const gapMpan = mpans[GAP_MPAN_INDEX];
  if (gapMpan) {
    for (const period of GAP_PERIODS) {
      const utcStart = new Date(settlementDay(runDate, periodMinutes).utcStart.getTime() + (period - 1) * periodMinutes * 60_000);
      exceptions.push({
        id: `EXC-${runDate}-${gapMpan.mpanCore}-${period}`,
        runId,
        mpanCore: gapMpan.mpanCore,
        utcStart,
        exceptionType: 'MISSING_DATA',
        supplierId: gapMpan.supplierId,
        dataServiceId: gapMpan.dataServiceId,
        detail: `No data received for settlement period ${settlementPeriodOf(utcStart, periodMinutes).settlementPeriod}`,
      });
    }
  }
  // One exception per MPAN and period with non-zero data while de-energised, as the MDS job reports them (PRI-013, PRI-009).
  const deEnergised = new Map(mpans.filter((m) => m.deEnergised).map((m) => [m.mpanCore, m]));
  for (const interval of intervals) {
    const mp = deEnergised.get(interval.mpanCore);
    if (!mp || interval.supersededAt || parseMicroUnits(interval.value) === 0n) continue;
    const period = settlementPeriodOf(interval.utcStart, periodMinutes).settlementPeriod;
    exceptions.push({
      id: `EXC-${runDate}-${mp.mpanCore}-DE-${period}`,
      runId,
      mpanCore: mp.mpanCore,
      utcStart: interval.utcStart,
      exceptionType: 'DATA_FOR_DE_ENERGISED',
      supplierId: mp.supplierId,
      dataServiceId: mp.dataServiceId,
      detail: `Non-zero consumption (${formatMicroUnits(parseMicroUnits(interval.value))} kWh) in settlement period ${period} for a de-energised MPAN: accepted and flagged (PRI-013)`,
    });
  }
  const run = {
    id: runId,
    settlementDate: runDate,
    runType: 'SF' as const,
    status: 'COMPLETED' as const,
    periodMinutes,
    createdAt: at('2026-11-20T07:00:00Z'),
    completedAt: at('2026-11-20T07:30:00Z'),
  };
  return { run, volumes, exceptions };
}
