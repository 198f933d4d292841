import type { Database } from '../kit/db';
import { oneRowPerKey, rowsPerKey, rowsPerKeyPosition } from '../kit/loader-helpers';
import * as store from './store';

/** This request's loaders: each batch is one SQL statement. */
export function createSettlementLoaders(db: Database) {
  return {
    bscParty: oneRowPerKey(
      (ids: readonly string[]) => store.findBscParties(db, ids),
      (row) => row.id,
    ),
    partiesOfParticipant: rowsPerKey(
      (ids: readonly string[]) => store.findPartiesOfParticipants(db, ids),
      (row) => row.participantId,
    ),
    bmUnit: oneRowPerKey(
      (ids: readonly string[]) => store.findBmUnits(db, ids),
      (row) => row.id,
    ),
    bmUnitsByLeadParty: rowsPerKey(
      (ids: readonly string[]) => store.findBmUnitsByLeadParty(db, ids),
      (row) => row.leadPartyId,
    ),
    run: oneRowPerKey(
      (ids: readonly string[]) => store.findRunsById(db, ids),
      (row) => row.id,
    ),
    aggregatedVolumes: rowsPerKeyPosition(
      (keys: readonly { runId: string; supplierId: string | null }[]) => store.findAggregatedVolumes(db, keys),
      (k) => `${k.runId}|${k.supplierId ?? ''}`,
    ),
    exceptionCounts: rowsPerKey(
      (ids: readonly string[]) => store.countExceptionsByRun(db, ids),
      (row) => row.runId,
    ),
    exceptions: rowsPerKey(
      (ids: readonly string[]) => store.findExceptionsByRun(db, ids),
      (row) => row.runId,
    ),
  };
}

export type SettlementLoaders = ReturnType<typeof createSettlementLoaders>;
