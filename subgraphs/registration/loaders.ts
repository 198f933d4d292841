import type { Database } from '../kit/db';
import { oneRowPerKey, rowsPerKey } from '../kit/loader-helpers';
import * as store from './store';

const onDateKey = (key: store.MpanOnDate) => `${key.mpanCore}|${key.onDate}`;

/** This request's loaders: each batch is one SQL statement. */
export function createRegistrationLoaders(db: Database) {
  return {
    meteringPoint: oneRowPerKey(
      (mpans: readonly string[]) => store.findMeteringPointsByMpan(db, mpans),
      (row) => row.mpanCore,
    ),
    standingDataOnDate: oneRowPerKey((keys) => store.findStandingDataOnDates(db, keys), onDateKey, onDateKey),
    standingDataHistory: rowsPerKey(
      (mpans: readonly string[]) => store.findStandingDataHistory(db, mpans),
      (row) => row.mpanCore,
    ),
    supplierOnDate: oneRowPerKey((keys) => store.findSupplierRegistrationsOnDates(db, keys), onDateKey, onDateKey),
    supplierRegistrations: rowsPerKey(
      (mpans: readonly string[]) => store.findSupplierRegistrations(db, mpans),
      (row) => row.mpanCore,
    ),
    meters: rowsPerKey(
      (mpans: readonly string[]) => store.findMetersByMpan(db, mpans),
      (row) => row.mpanCore,
    ),
    distributor: oneRowPerKey(
      (ids: readonly string[]) => store.findDistributors(db, ids),
      (row) => row.id,
    ),
    gspGroup: oneRowPerKey(
      (ids: readonly string[]) => store.findGspGroups(db, ids),
      (row) => row.id,
    ),
    participant: oneRowPerKey(
      (ids: readonly string[]) => store.findParticipants(db, ids),
      (row) => row.id,
    ),
  };
}

export type RegistrationLoaders = ReturnType<typeof createRegistrationLoaders>;
