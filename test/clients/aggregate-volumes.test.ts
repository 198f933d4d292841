import { AggregationDay, MeteringPointDay, RegistrationFacts, SettlementAggregation } from '../../clients/aggregate-volumes';
import { formatMicroUnits, parseMicroUnits } from '../../core';

// The pure aggregation of the Market-wide Data Service's job: exact decimals, grouping, counts and exceptions.

/** Four 30-minute periods spanning two UTC days, as a UK summer settlement day does around midnight UTC. */
const DAY: AggregationDay = {
  settlementDate: '2026-06-15',
  periodMinutes: 30,
  periodStarts: ['2026-06-14T23:00:00.000Z', '2026-06-14T23:30:00.000Z', '2026-06-15T00:00:00.000Z', '2026-06-15T00:30:00.000Z'],
};

const FACTS: RegistrationFacts = {
  supplierId: 'SUPA',
  gspGroupId: '_C',
  marketSegment: 'SMART',
  energisationStatus: 'ENERGISED',
  bmUnitId: '2__CSUPA001',
  dataServiceId: 'SDSA',
};

/** The same facts on both UTC days of DAY unless `later` differs on the second. */
const factsByDay = (facts: Partial<RegistrationFacts> = {}, later: Partial<RegistrationFacts> = {}) => ({
  '2026-06-14': { ...FACTS, ...facts },
  '2026-06-15': { ...FACTS, ...facts, ...later },
});

/** One interval per period of DAY with the given values (null: no interval). */
const intervals = (values: (string | null)[], quality: 'ACTUAL' | 'ESTIMATED' = 'ACTUAL', dataServiceId = 'SDSA') =>
  values.flatMap((value, i) =>
    value === null ? [] : [{ utcStart: DAY.periodStarts[i], periodMinutes: 30, value, quality, dataServiceId }],
  );

/** Two 15-minute intervals per period of DAY (null: no interval), as a metering point settled in quarter hours sends. */
const quarters = (values: (string | null)[], quality: 'ACTUAL' | 'ESTIMATED' = 'ACTUAL') =>
  values.flatMap((value, i) =>
    value === null
      ? []
      : [
          {
            utcStart: new Date(Date.parse(DAY.periodStarts[0]) + i * 900_000).toISOString(),
            periodMinutes: 15,
            value,
            quality,
            dataServiceId: 'SDSA',
          },
        ],
  );

function aggregate(points: MeteringPointDay[]) {
  const aggregation = new SettlementAggregation(DAY);
  for (const point of points) aggregation.addMeteringPoint(point);
  return aggregation.result();
}

describe('exact decimals', () => {
  it.each([
    ['0', 0n],
    ['0.1', 100_000n],
    ['12.345', 12_345_000n],
    ['-0.000001', -1n],
    ['999999999999.999999', 999_999_999_999_999_999n],
  ])('parses %s into micro-units and writes it back', (text, micro) => {
    expect(parseMicroUnits(text)).toBe(micro);
    expect(formatMicroUnits(micro)).toBe(text);
  });

  it('writes the shortest exact form, without trailing zeros', () => {
    expect(formatMicroUnits(parseMicroUnits('1.500000'))).toBe('1.5');
    expect(formatMicroUnits(parseMicroUnits('2.000'))).toBe('2');
  });

  it('refuses values it could not hold exactly (more than 6 decimals) or that are not decimals', () => {
    expect(() => parseMicroUnits('0.0000001')).toThrow('at most 6 decimal places');
    expect(() => parseMicroUnits('1e3')).toThrow('not a decimal');
  });

  it('adds 0.1 and 0.2 to exactly 0.3, where binary floats give 0.30000000000000004', () => {
    const result = aggregate([
      { mpanCore: 'A', factsByUtcDay: factsByDay(), intervals: intervals(['0.1', null, null, null]) },
      { mpanCore: 'B', factsByUtcDay: factsByDay(), intervals: intervals(['0.2', null, null, null]) },
    ]);
    expect(result.volumes[0].volume).toBe('0.3');
  });

  it('keeps a large total exact to the micro-kWh', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({
      mpanCore: `M${i}`,
      factsByUtcDay: factsByDay(),
      intervals: intervals(['123456.789012', '0.000001', '0.333333', '7']),
    }));
    // 1000 × (123456.789012 + 0.000001 + 0.333333 + 7) = 1000 × 123464.122346
    expect(aggregate(points).totalVolume).toBe('123464122.346');
  });
});

describe('grouping', () => {
  it('sums per period, supplier, GSP group, BM unit and segment, counting MPANs and actual vs estimated', () => {
    const result = aggregate([
      { mpanCore: 'A', factsByUtcDay: factsByDay(), intervals: intervals(['1.5', '2', '0', '1']) },
      { mpanCore: 'B', factsByUtcDay: factsByDay(), intervals: intervals(['0.25', '0.25', '0.25', '0.25'], 'ESTIMATED') },
      {
        mpanCore: 'C',
        factsByUtcDay: factsByDay({ supplierId: 'SUPB', bmUnitId: '2__CSUPB001', marketSegment: 'ADVANCED', dataServiceId: 'ADSA' }),
        intervals: intervals(['6.5', '6.5', '6.5', '6.5'], 'ACTUAL', 'ADSA'),
      },
    ]);
    const supa = { supplierId: 'SUPA', gspGroupId: '_C', bmUnitId: '2__CSUPA001', marketSegment: 'SMART' };
    const supb = { supplierId: 'SUPB', gspGroupId: '_C', bmUnitId: '2__CSUPB001', marketSegment: 'ADVANCED' };
    expect(result.volumes).toEqual([
      { utcStart: DAY.periodStarts[0], ...supa, volume: '1.75', mpanCount: 2, actualCount: 1, estimatedCount: 1 },
      { utcStart: DAY.periodStarts[0], ...supb, volume: '6.5', mpanCount: 1, actualCount: 1, estimatedCount: 0 },
      { utcStart: DAY.periodStarts[1], ...supa, volume: '2.25', mpanCount: 2, actualCount: 1, estimatedCount: 1 },
      { utcStart: DAY.periodStarts[1], ...supb, volume: '6.5', mpanCount: 1, actualCount: 1, estimatedCount: 0 },
      { utcStart: DAY.periodStarts[2], ...supa, volume: '0.25', mpanCount: 2, actualCount: 1, estimatedCount: 1 },
      { utcStart: DAY.periodStarts[2], ...supb, volume: '6.5', mpanCount: 1, actualCount: 1, estimatedCount: 0 },
      { utcStart: DAY.periodStarts[3], ...supa, volume: '1.25', mpanCount: 2, actualCount: 1, estimatedCount: 1 },
      { utcStart: DAY.periodStarts[3], ...supb, volume: '6.5', mpanCount: 1, actualCount: 1, estimatedCount: 0 },
    ]);
    expect(result).toMatchObject({ totalVolume: '31.5', meteringPoints: 3, intervals: 12, exceptions: [] });
  });

  it('uses the facts of the UTC day each period starts in (PRI-014): a change of supplier at UTC midnight splits the settlement day', () => {
    const result = aggregate([
      {
        mpanCore: 'A',
        factsByUtcDay: factsByDay({}, { supplierId: 'SUPB', bmUnitId: '2__CSUPB001' }),
        intervals: intervals(['1', '1', '1', '1']),
      },
    ]);
    expect(result.volumes.map((v) => [v.utcStart, v.supplierId, v.bmUnitId])).toEqual([
      [DAY.periodStarts[0], 'SUPA', '2__CSUPA001'],
      [DAY.periodStarts[1], 'SUPA', '2__CSUPA001'],
      [DAY.periodStarts[2], 'SUPB', '2__CSUPB001'],
      [DAY.periodStarts[3], 'SUPB', '2__CSUPB001'],
    ]);
  });

  it('never drops an interval silently: one starting outside the settlement day is counted as unsettled', () => {
    const point = {
      mpanCore: 'A',
      factsByUtcDay: factsByDay(),
      intervals: [
        ...intervals(['1', '1', '1', '1']),
        { utcStart: '2026-06-15T01:00:00.000Z', periodMinutes: 30, value: '5', quality: 'ACTUAL' as const, dataServiceId: 'SDSA' },
      ],
    };
    expect(aggregate([point])).toMatchObject({ totalVolume: '4', intervals: 5, unsettledIntervals: 1, exceptions: [] });
  });

  it('leaves out, and counts, intervals with no supplier, GSP group, segment or BM unit in force', () => {
    const result = aggregate([
      { mpanCore: 'A', factsByUtcDay: factsByDay({ bmUnitId: null }), intervals: intervals(['1', '1', '1', '1']) },
    ]);
    expect(result).toMatchObject({ volumes: [], unattributedIntervals: 4, totalVolume: '0' });
  });
});

describe('exceptions', () => {
  it('reports MISSING_DATA for every period without data of an energised, registered MPAN (PRI-010)', () => {
    const result = aggregate([{ mpanCore: 'A', factsByUtcDay: factsByDay(), intervals: intervals(['1', null, '1', null]) }]);
    expect(result.exceptions).toEqual([
      {
        mpanCore: 'A',
        utcStart: DAY.periodStarts[1],
        exceptionType: 'MISSING_DATA',
        supplierId: 'SUPA',
        dataServiceId: 'SDSA',
        detail: 'No data received for settlement period 2',
      },
      {
        mpanCore: 'A',
        utcStart: DAY.periodStarts[3],
        exceptionType: 'MISSING_DATA',
        supplierId: 'SUPA',
        dataServiceId: 'SDSA',
        detail: 'No data received for settlement period 4',
      },
    ]);
  });

  it('expects no data from a de-energised MPAN, and none for days no supplier is registered', () => {
    const result = aggregate([
      { mpanCore: 'A', factsByUtcDay: factsByDay({ energisationStatus: 'DE_ENERGISED' }), intervals: [] },
      { mpanCore: 'B', factsByUtcDay: factsByDay({ supplierId: null }), intervals: [] },
    ]);
    expect(result.exceptions).toEqual([]);
  });

  it('accepts non-zero data for a de-energised MPAN into the volumes and flags it once per MPAN and period (PRI-013, PRI-009)', () => {
    const result = aggregate([
      { mpanCore: 'A', factsByUtcDay: factsByDay({ energisationStatus: 'DE_ENERGISED' }), intervals: intervals(['0', '0.5', '0.25', '0']) },
    ]);
    expect(result.totalVolume).toBe('0.75');
    expect(result.exceptions).toEqual([
      {
        mpanCore: 'A',
        utcStart: DAY.periodStarts[1],
        exceptionType: 'DATA_FOR_DE_ENERGISED',
        supplierId: 'SUPA',
        dataServiceId: 'SDSA',
        detail: 'Non-zero consumption (0.5 kWh) in settlement period 2 for a de-energised MPAN: accepted and flagged (PRI-013)',
      },
      {
        mpanCore: 'A',
        utcStart: DAY.periodStarts[2],
        exceptionType: 'DATA_FOR_DE_ENERGISED',
        supplierId: 'SUPA',
        dataServiceId: 'SDSA',
        detail: 'Non-zero consumption (0.25 kWh) in settlement period 3 for a de-energised MPAN: accepted and flagged (PRI-013)',
      },
    ]);
  });

  it('flags data sent by a data service that was not appointed once per period, to the service that sent it (PRI-009)', () => {
    const result = aggregate([
      { mpanCore: 'A', factsByUtcDay: factsByDay(), intervals: intervals(['1', '1', '1', null], 'ACTUAL', 'SDSB') },
    ]);
    expect(result.exceptions.filter((e) => e.exceptionType === 'DATA_SERVICE_NOT_APPOINTED')).toEqual(
      [0, 1, 2].map((i) => ({
        mpanCore: 'A',
        utcStart: DAY.periodStarts[i],
        exceptionType: 'DATA_SERVICE_NOT_APPOINTED',
        supplierId: 'SUPA',
        dataServiceId: 'SDSB',
        detail: `Data for settlement period ${i + 1} came from SDSB, but SDSA is the appointed data service`,
      })),
    );
    expect(result.totalVolume).toBe('3');
  });

  it('counts, instead of reporting, an exception with no data service to tell (PRI-009 needs one for the detail)', () => {
    const result = aggregate([
      { mpanCore: 'A', factsByUtcDay: factsByDay({ dataServiceId: null }), intervals: intervals(['1', null, null, null]) },
    ]);
    expect(result).toMatchObject({ exceptions: [], unreportedExceptions: 3 });
  });
});

describe('period lengths (PRI-015)', () => {
  it('rolls 15-minute data up into a 30-minute run: both quarter hours count, none is dropped (0.1 + 0.2 = 0.3 kWh)', () => {
    const result = aggregate([
      { mpanCore: 'A', factsByUtcDay: factsByDay(), intervals: quarters(['0.1', '0.2', '0.1', '0.2', '1', '1', '0', '0']) },
    ]);
    expect(result.volumes.map((v) => [v.utcStart, v.volume, v.mpanCount, v.actualCount])).toEqual([
      [DAY.periodStarts[0], '0.3', 1, 1],
      [DAY.periodStarts[1], '0.3', 1, 1],
      [DAY.periodStarts[2], '2', 1, 1],
      [DAY.periodStarts[3], '0', 1, 1],
    ]);
    expect(result).toMatchObject({ totalVolume: '2.6', intervals: 8, unsettledIntervals: 0, exceptions: [] });
  });

  it('counts a half hour with only one quarter hour as MISSING_DATA, as missingPeriods does, and keeps the quarter it has in the volume', () => {
    const result = aggregate([
      {
        mpanCore: 'A',
        factsByUtcDay: factsByDay(),
        intervals: quarters(['0.1', null, '0.1', '0.2', '0.1', '0.2', '0.1', '0.2'], 'ESTIMATED'),
      },
    ]);
    expect(result.totalVolume).toBe('1');
    expect(result.volumes[0]).toMatchObject({ utcStart: DAY.periodStarts[0], volume: '0.1', mpanCount: 1, estimatedCount: 1 });
    expect(result.exceptions).toEqual([
      {
        mpanCore: 'A',
        utcStart: DAY.periodStarts[0],
        exceptionType: 'MISSING_DATA',
        supplierId: 'SUPA',
        dataServiceId: 'SDSA',
        detail:
          'Data for 15 of the 30 minutes of settlement period 1: part of the period is missing (PRI-015); the data received is in the volume',
      },
    ]);
  });

  it('does not split 30-minute data in a 15-minute run: it is counted as unsettled and its periods reported as MISSING_DATA', () => {
    const quarterDay: AggregationDay = {
      settlementDate: DAY.settlementDate,
      periodMinutes: 15,
      periodStarts: [0, 1, 2, 3].map((i) => new Date(Date.parse(DAY.periodStarts[0]) + i * 900_000).toISOString()),
    };
    const aggregation = new SettlementAggregation(quarterDay);
    aggregation.addMeteringPoint({ mpanCore: 'A', factsByUtcDay: factsByDay(), intervals: intervals(['1', '1']) });
    const result = aggregation.result();
    expect(result).toMatchObject({ volumes: [], totalVolume: '0', intervals: 2, unsettledIntervals: 2 });
    expect(result.exceptions.map((e) => [e.utcStart, e.exceptionType, e.detail])).toEqual([
      [
        quarterDay.periodStarts[0],
        'MISSING_DATA',
        '30-minute data received for settlement period 1; a 15-minute run needs data of at most 15 minutes and does not split it (PRI-015)',
      ],
      [quarterDay.periodStarts[1], 'MISSING_DATA', 'No data received for settlement period 2'],
      [
        quarterDay.periodStarts[2],
        'MISSING_DATA',
        '30-minute data received for settlement period 3; a 15-minute run needs data of at most 15 minutes and does not split it (PRI-015)',
      ],
      [quarterDay.periodStarts[3], 'MISSING_DATA', 'No data received for settlement period 4'],
    ]);
  });
});

describe('export (PRI-019)', () => {
  it('expects no import data from an export metering point: no MISSING_DATA, counted as an export metering point not settled', () => {
    const result = aggregate([{ mpanCore: 'E', factsByUtcDay: factsByDay({ energyDirection: 'EXPORT' }), intervals: [] }]);
    expect(result).toMatchObject({ exceptions: [], volumes: [], exportMeteringPoints: 1 });
  });
});
