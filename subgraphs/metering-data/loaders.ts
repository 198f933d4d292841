import type { Database } from '../kit/db';
import { oneRowPerKey, rowsPerKeyPosition } from '../kit/loader-helpers';
import * as store from './store';

const pageKey = (k: store.ConsumptionPageKey) =>
  [k.mpanCore, k.quantity, k.from.toISOString(), k.to.toISOString(), k.after?.toISOString() ?? '', k.limit, JSON.stringify(k.scope)].join(
    '|',
  );

/** This request's loaders: each batch is one SQL statement. */
export function createMeteringDataLoaders(db: Database) {
  return {
    consumptionPage: rowsPerKeyPosition((keys: readonly store.ConsumptionPageKey[]) => store.findConsumptionPages(db, keys), pageKey),
    series: rowsPerKeyPosition(
      (keys: readonly store.SeriesKey[]) => store.findSeries(db, keys),
      (k) => `${k.mpanCore}|${k.quantity}|${k.dayStart.toISOString()}|${k.dayEnd.toISOString()}`,
    ),
    intervalVersions: rowsPerKeyPosition(
      (keys: readonly { mpanCore: string; quantity: string; utcStart: Date }[]) => store.findIntervalVersions(db, keys),
      (k) => `${k.mpanCore}|${k.quantity}|${k.utcStart.toISOString()}`,
    ),
    currentReadings: rowsPerKeyPosition(
      (keys: readonly (store.ReadingsKey & { limit: number })[]) => store.findCurrentReadings(db, keys),
      (k) => `${k.mpanCore}|${k.limit}|${JSON.stringify(k.scope)}`,
    ),
    readingHistory: rowsPerKeyPosition(
      (keys: readonly store.ReadingsKey[]) => store.findReadingHistory(db, keys),
      (k) => `${k.mpanCore}|${JSON.stringify(k.scope)}`,
    ),
    readRequest: oneRowPerKey(
      (ids: readonly string[]) => store.findReadRequestsById(db, ids),
      (row) => row.id,
    ),
    readRequestsByMpan: rowsPerKeyPosition(
      (keys: readonly { mpanCore: string; status: string | null }[]) => store.findReadRequestsByMpan(db, keys),
      (k) => `${k.mpanCore}|${k.status ?? ''}`,
    ),
  };
}

export type MeteringDataLoaders = ReturnType<typeof createMeteringDataLoaders>;
