import { rangesByMpan, ScopeOwner } from '../kit/scope';
import * as store from './store';

/** Row scope of data and metering services: the periods of their accepted appointments in the role they act in. */
export const appointmentScopeOwner: ScopeOwner = {
  async findScopes(db, caller, mpanCores) {
    // The service roles are named like the market roles that perform them.
    return rangesByMpan(await store.findProviderScopes(db, caller.participant, caller.role, mpanCores));
  },
};
