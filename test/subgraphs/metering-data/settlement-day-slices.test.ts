import { mergeSlices } from '../../../subgraphs/metering-data/settlement-day-aggregation';
import type { DayAggregationRow } from '../../../subgraphs/metering-data/settlement-day-store';

// A page of settlementDayAggregation is summed in slices of 5,000 metering points; the slices' rows must add up exactly.

const row = (over: Partial<DayAggregationRow>): DayAggregationRow => ({
  kind: 'V',
  p: 0,
  mpanCore: null,
  exceptionType: null,
  supplierId: 'SUPA',
  gspGroupId: '_C',
  bmUnitId: '2__CSUPA001',
  marketSegment: 'SMART',
  dataServiceId: null,
  appointedDataServiceId: null,
  micro: '0',
  a: 0,
  b: 0,
  c: null,
  ...over,
});

describe('settlement-day aggregation slices', () => {
  it('adds volume groups of equal key and the counts exactly (micro-kWh as BigInt), and keeps every exception', () => {
    const exception = row({ kind: 'E', mpanCore: '1200000000420', exceptionType: 'MISSING_DATA', micro: null, a: 0, b: null });
    const merged = mergeSlices([
      row({ micro: '9007199254740993', a: 2, b: 1 }),
      row({ p: 1, micro: '5', a: 1 }),
      row({ kind: 'C', p: null, supplierId: null, gspGroupId: null, bmUnitId: null, marketSegment: null, micro: null, a: 96, b: 0, c: 3 }),
      row({ micro: '7', a: 0, b: 4 }),
      exception,
      row({ kind: 'C', p: null, supplierId: null, gspGroupId: null, bmUnitId: null, marketSegment: null, micro: null, a: 48, b: 2, c: 0 }),
      exception,
    ]);
    expect(merged).toEqual([
      row({ micro: '9007199254741000', a: 2, b: 5 }),
      row({ p: 1, micro: '5', a: 1 }),
      row({ kind: 'C', p: null, supplierId: null, gspGroupId: null, bmUnitId: null, marketSegment: null, micro: null, a: 144, b: 2, c: 3 }),
      exception,
      exception,
    ]);
  });
});
