/**
 * The rows the registration subgraph owns, as plain data: what its store writes and what a dataset (the demo, the bench's, a
 * test's) must provide for it. Dates are "YYYY-MM-DD", instants are Date, decimals are strings.
 */

/** What the registration subgraph stores: its share of a dataset, written by writeRegistrationDataset. */
export interface RegistrationRows {
  participants: ParticipantRow[];
  gspGroups: GspGroupRow[];
  distributors: DistributorRow[];
  meteringPoints: MeteringPointRow[];
  standingData: StandingDataRow[];
  supplierRegistrations: SupplierRegistrationRow[];
  meters: MeterRow[];
}

export interface GspGroupRow {
  id: string;
  name: string;
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
