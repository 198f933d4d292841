/**
 * The plain-data shape of a seed dataset: what `npm run seed` and the tests write. Each subgraph's store writes its
 * own share, so no SQL crosses a subgraph boundary. Dates are "YYYY-MM-DD", instants are Date, decimals are strings.
 */
export interface DemoDataset {
  participants: ParticipantRow[];
  gspGroups: { id: string; name: string }[];
  distributors: DistributorRow[];
  meteringPoints: MeteringPointRow[];
  standingData: StandingDataRow[];
  supplierRegistrations: SupplierRegistrationRow[];
  meters: MeterRow[];
  appointments: AppointmentRow[];
  /** Interval data is large (millions of rows for load work), so it arrives in batches. */
  /** Number of interval rows (every version) that intervalBatches yields. */
  readonly intervalCount: number;
  intervalBatches(): Iterable<IntervalRow[]>;
  readings: ReadingRow[];
  readRequests: ReadRequestRow[];
  bscParties: BscPartyRow[];
  bmUnits: BmUnitRow[];
  bmUnitAllocations: { mpanCore: string; bmUnitId: string; effectiveFrom: string }[];
  settlementRuns: SettlementRunRow[];
  aggregatedVolumes: AggregatedVolumeRow[];
  settlementExceptions: SettlementExceptionRow[];
}

export interface ParticipantRow {
  id: string;
  name: string;
  roles: string[];
}

export interface DistributorRow {
  id: string;
  name: string;
  kind: 'DNO' | 'IDNO';
  participantId: string;
  homeGspGroupId: string | null;
  gspGroupIds: string[];
  duosTariffIds: string[];
}

export interface MeteringPointRow {
  mpanCore: string;
  distributorId: string;
  address: { line1: string; line2: string | null; town: string; postcode: string };
  legacyTopLine: { profileClass: string; meterTimeswitchCode: string; lineLossFactorClass: string } | null;
}

export interface StandingDataRow {
  mpanCore: string;
  effectiveFrom: string;
  gspGroupId: string;
  marketSegment: 'SMART' | 'ADVANCED' | 'UNMETERED';
  energisationStatus: 'ENERGISED' | 'DE_ENERGISED';
  connectionType: 'WHOLE_CURRENT' | 'CURRENT_TRANSFORMER';
  energyDirection: 'IMPORT' | 'EXPORT';
  metered: boolean;
  duosTariffId: string;
}

export interface SupplierRegistrationRow {
  mpanCore: string;
  supplierId: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface MeterRow {
  meterId: string;
  mpanCore: string;
  meterType: 'SMART' | 'ADVANCED' | 'TRADITIONAL';
  esmeGuid: string | null;
  location: string;
  registerDigits: number;
  installedOn: string;
  assetProviderId: string;
  communicationsFault: boolean;
}

export interface InterfaceMessageRow {
  interfaceId: 'IF_031' | 'IF_032' | 'IF_033' | 'PROVIDER_RESPONSE' | 'IF_035' | 'IF_036';
  fromParticipantId: string;
  toParticipantId: string;
  sentAt: Date;
  outcome: 'ACCEPTED' | 'REJECTED' | null;
  reason: string | null;
}

export interface AppointmentRow {
  id: string;
  mpanCore: string;
  serviceRole: string;
  providerId: string;
  supplierId: string;
  scenario: 'CHANGE_OF_SUPPLIER' | 'CHANGE_OF_SERVICE_PROVIDER';
  contractReference: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  decision: 'REQUESTED' | 'ACCEPTED' | 'REJECTED';
  requestedAt: Date;
  respondBy: Date;
  messages: InterfaceMessageRow[];
}

export interface IntervalRow {
  mpanCore: string;
  quantity: 'ACTIVE_IMPORT' | 'ACTIVE_EXPORT' | 'REACTIVE_IMPORT' | 'REACTIVE_EXPORT';
  utcStart: Date;
  periodMinutes: number;
  version: number;
  value: string;
  quality: 'ACTUAL' | 'ESTIMATED' | 'DEEMED' | 'UMS_CALCULATED';
  estimationMethod: string | null;
  dataServiceId: string;
  receivedAt: Date;
  deEnergisedFlag: boolean;
  /** When a later version replaced this one; null for the current version. */
  supersededAt: Date | null;
}

export interface ReadingRow {
  mpanCore: string;
  meterId: string;
  registerId: string;
  readAt: Date;
  version: number;
  value: string;
  method: 'REMOTE' | 'PHYSICAL' | 'CUSTOMER';
  event: 'ROUTINE' | 'READING_COS' | 'READING_ONSITE';
  siteVisitCheckCode: string | null;
  submittedBy: string;
  receivedAt: Date;
}

export interface ReadRequestRow {
  id: string;
  mpanCore: string;
  meterId: string;
  reason: 'NON_SMART_METER' | 'SMART_COMMS_FAULT';
  status: 'OPEN' | 'FULFILLED' | 'CANCELLED';
  meterReadingServiceId: string;
  requestedAt: Date;
  dueBy: Date;
}

export interface BscPartyRow {
  id: string;
  name: string;
  partyRoles: string[];
  qualificationStatus: 'QUALIFIED' | 'PENDING' | 'SUSPENDED';
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface BmUnitRow {
  id: string;
  leadPartyId: string;
  gspGroupId: string;
  kind: 'SUPPLIER' | 'DIRECTLY_CONNECTED';
  creditAssessmentLoadFactor: string;
  generationCapacityMw: string;
  demandCapacityMw: string;
  tradingUnit: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface SettlementRunRow {
  id: string;
  settlementDate: string;
  runType: 'II' | 'SF' | 'R1' | 'R2' | 'R3' | 'RF' | 'DF';
  status: 'SCHEDULED' | 'COMPLETED';
  periodMinutes: number;
  createdAt: Date;
  completedAt: Date | null;
}

export interface AggregatedVolumeRow {
  runId: string;
  utcStart: Date;
  supplierId: string;
  gspGroupId: string;
  bmUnitId: string;
  marketSegment: 'SMART' | 'ADVANCED' | 'UNMETERED';
  volume: string;
  mpanCount: number;
  actualCount: number;
  estimatedCount: number;
}

export interface SettlementExceptionRow {
  id: string;
  runId: string;
  mpanCore: string;
  utcStart: Date;
  exceptionType: 'MISSING_DATA' | 'DATA_FOR_DE_ENERGISED' | 'DATA_SERVICE_NOT_APPOINTED' | 'UNREGISTERED_MPAN';
  supplierId: string;
  dataServiceId: string;
  detail: string;
}
