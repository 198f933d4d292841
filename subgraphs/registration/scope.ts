import { ALL_TIME, rangesByMpan, ScopeOwner } from '../kit/scope';
import * as store from './store';

/** Row scope of suppliers (their registration periods) and distributors (their network), from registration data. */
export const registrationScopeOwner: ScopeOwner = {
  async findScopes(db, caller, mpanCores) {
    if (caller.role === 'SUPPLIER') return rangesByMpan(await store.findSupplierScopes(db, caller.participant, mpanCores));
    if (caller.role === 'DISTRIBUTOR') {
      const rows = await store.findMpansOfDistributorParticipant(db, caller.participant, mpanCores);
      return new Map(rows.map((row) => [row.mpanCore, [...ALL_TIME]]));
    }
    return new Map();
  },
};
