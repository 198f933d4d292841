import type { ResponsibilityOwner } from '../kit/responsibility';
import * as store from './store';

/**
 * Metering data owns the meter reading service's responsibility: it holds a metering point while it has an open read
 * request for it, from the day the request was raised (PRI-006: an initial read, never history).
 */
export const meteringDataResponsibilities: ResponsibilityOwner = {
  owns: ['METER_READING_SERVICE'],
  async findPeriods({ db }, _asked, mpanCores) {
    const rows = await store.findOpenReadRequestPeriods(db, mpanCores);
    return rows.map((row) => ({ ...row, responsibility: 'METER_READING_SERVICE' as const, to: null }));
  },
};
