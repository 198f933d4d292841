import { ALL_TIME, ScopeOwner } from '../kit/scope';
import * as store from './store';

/** Row scope of a meter reading service: only metering points with an open initial read request for it (PRI-006). */
export const meteringDataScopeOwner: ScopeOwner = {
  async findScopes(db, caller, mpanCores) {
    const rows = await store.findMpansWithOpenReadRequests(db, caller.participant, mpanCores);
    return new Map(rows.map((row) => [row.mpanCore, [...ALL_TIME]]));
  },
};
