/**
 * The rows the settlement subgraph owns, as plain data: what its store writes and what a dataset (the demo, the bench's, a
 * test's) must provide for it. Dates are "YYYY-MM-DD", instants are Date, decimals are strings.
 */

/** What the settlement subgraph stores: its share of a dataset, written by writeSettlementDataset. */
export interface SettlementRows {
  bscParties: BscPartyRow[];
  /** The market participants (MPIDs) each BSC party acts as: what makes a party's CRA attributes a caller's own. */
  bscPartyParticipants: BscPartyParticipantRow[];
  bmUnits: BmUnitRow[];
  supplierBmUnits: SupplierBmUnitRow[];
  /** Allocations a supplier made of one of its additional units; the base unit needs none. */
  bmUnitAllocations: BmUnitAllocationRow[];
  settlementRuns: SettlementRunRow[];
  aggregatedVolumes: AggregatedVolumeRow[];
  settlementExceptions: SettlementExceptionRow[];
}

/** A supplier's BM unit in a GSP group: its base unit there, or an additional one it may allocate. */
export interface SupplierBmUnitRow {
  bmUnitId: string;
  supplierId: string;
  gspGroupId: string;
  base: boolean;
}

export interface BmUnitAllocationRow {
  mpanCore: string;
  bmUnitId: string;
  effectiveFrom: string;
}

export interface BscPartyRow {
  id: string;
  name: string;
  partyRoles: string[];
  qualificationStatus: 'QUALIFIED' | 'PENDING' | 'SUSPENDED';
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** A market participant (MPID) acting for a BSC party, such as a supplier's MPID for its supplying party. */
export interface BscPartyParticipantRow {
  participantId: string;
  bscPartyId: string;
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
