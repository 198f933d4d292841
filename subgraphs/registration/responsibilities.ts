import { BEGINNING_OF_TIME, type ResponsibilityOwner, type ResponsibilityPeriod } from '../kit/responsibility';
import * as store from './store';

/** Registration owns the supplier registration, the distributor and the GSP group of every MPAN (PRI-001). */
export const registrationResponsibilities: ResponsibilityOwner = {
  owns: ['SUPPLIER', 'DISTRIBUTOR', 'GSP_GROUP'],
  async findPeriods({ db }, asked, mpanCores) {
    const periods: ResponsibilityPeriod[] = [];
    if (asked.includes('SUPPLIER')) {
      for (const row of await store.findSupplierPeriods(db, mpanCores)) periods.push({ ...row, responsibility: 'SUPPLIER' });
    }
    if (asked.includes('DISTRIBUTOR')) {
      for (const row of await store.findDistributorParticipants(db, mpanCores)) {
        periods.push({ ...row, responsibility: 'DISTRIBUTOR', from: BEGINNING_OF_TIME, to: null });
      }
    }
    if (asked.includes('GSP_GROUP')) {
      for (const row of await store.findGspGroupPeriods(db, mpanCores)) periods.push({ ...row, responsibility: 'GSP_GROUP' });
    }
    return periods;
  },
};
