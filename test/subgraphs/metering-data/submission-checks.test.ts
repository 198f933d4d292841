import {
  checkIntervalAgainstRegistration,
  checkIntervalShape,
  IntervalInput,
  isZeroDecimal,
  readingValueProblem,
} from '../../../subgraphs/metering-data/submission-checks';
import { standingDataOn, StandingDataVersion } from '../../../subgraphs/metering-data/registration-facts';
import { appointedWindows } from '../../../subgraphs/metering-data/missing-periods';
import type { InternalContext } from '../../../core';

// The submission rules as pure functions, one rule at a time (the gateway tests cover them end to end).

const NOW = new Date('2026-11-27T12:00:00Z');
const SDSA: InternalContext = { participant: 'SDSA', role: 'SMART_DATA_SERVICE', requestId: 'test', now: NOW };
const interval: IntervalInput = {
  mpanCore: '1200000000420',
  quantity: 'ACTIVE_IMPORT',
  utcStart: new Date('2026-07-01T10:00:00Z'),
  periodMinutes: 30,
  value: '0.25',
  quality: 'ACTUAL',
};
const smart: StandingDataVersion = {
  effectiveFrom: '2024-01-01',
  marketSegment: 'SMART',
  energisationStatus: 'ENERGISED',
  energyDirection: 'IMPORT',
};
const deEnergised: StandingDataVersion = { ...smart, effectiveFrom: '2026-02-01', energisationStatus: 'DE_ENERGISED' };
const appointed = [{ from: '2024-01-01', to: null }];

describe('interval checks', () => {
  it('PRI-015: a period ending exactly now is accepted; one still running is IN_THE_FUTURE', () => {
    expect(checkIntervalShape({ ...interval, utcStart: new Date('2026-11-27T11:30:00Z') }, NOW)).toBeNull();
    expect(checkIntervalShape({ ...interval, utcStart: new Date('2026-11-27T12:00:00Z') }, NOW)?.reason).toBe('IN_THE_FUTURE');
    expect(checkIntervalShape({ ...interval, utcStart: new Date('2026-11-27T11:45:00Z'), periodMinutes: 15 }, NOW)).toBeNull();
  });

  it('PRI-005: a blank estimation method counts as none', () => {
    expect(checkIntervalShape({ ...interval, quality: 'ESTIMATED', estimationMethod: '  ' }, NOW)?.reason).toBe(
      'ESTIMATION_METHOD_REQUIRED',
    );
  });

  it('PRI-019: an interval before the first standing data in force is rejected as NO_STANDING_DATA', () => {
    const outcome = checkIntervalAgainstRegistration(interval, SDSA, {
      scope: appointed,
      standingDataHistory: [{ ...smart, effectiveFrom: '2026-08-01' }],
    });
    expect(outcome).toEqual({
      reason: 'NO_STANDING_DATA',
      message:
        '1200000000420 has no registration standing data in force on 2026-07-01; data is accepted from the first effective date of its standing data (PRI-019)',
    });
  });

  it('PRI-019: a metering point registration does not show the caller is NOT_APPOINTED, even inside scope days', () => {
    expect(checkIntervalAgainstRegistration(interval, SDSA, { scope: appointed, standingDataHistory: null })).toMatchObject({
      reason: 'NOT_APPOINTED',
    });
  });

  it("PRI-013: flags non-zero data on a de-energised day only, using the standing data of the interval's own day", () => {
    const facts = { scope: appointed, standingDataHistory: [deEnergised, smart] };
    expect(checkIntervalAgainstRegistration(interval, SDSA, facts)).toEqual({ deEnergisedFlag: true });
    expect(checkIntervalAgainstRegistration({ ...interval, value: '0.000' }, SDSA, facts)).toEqual({ deEnergisedFlag: false });
    expect(checkIntervalAgainstRegistration({ ...interval, utcStart: new Date('2026-01-31T23:30:00Z') }, SDSA, facts)).toEqual({
      deEnergisedFlag: false,
    });
  });

  it('PRI-019: derivation methods must fit the segment: UMS_CALCULATED only for unmetered supplies, ACTUAL and DEEMED only for metered ones', () => {
    const onSmart = { scope: appointed, standingDataHistory: [smart] };
    expect(checkIntervalAgainstRegistration({ ...interval, quality: 'UMS_CALCULATED' }, SDSA, onSmart)).toEqual({
      reason: 'DERIVATION_NOT_FOR_SEGMENT',
      message:
        'UMS_CALCULATED data is not derived in the SMART segment, where 1200000000420 is on 2026-07-01; it takes ACTUAL, ESTIMATED, DEEMED (PRI-019, PRI-005)',
    });
    for (const quality of ['ACTUAL', 'DEEMED']) {
      expect(checkIntervalAgainstRegistration({ ...interval, quality }, SDSA, onSmart)).toEqual({ deEnergisedFlag: false });
    }
    const UDSA: InternalContext = { ...SDSA, participant: 'UDSA', role: 'UNMETERED_DATA_SERVICE' };
    const onUnmetered = { scope: appointed, standingDataHistory: [{ ...smart, marketSegment: 'UNMETERED' as const }] };
    expect(checkIntervalAgainstRegistration({ ...interval, quality: 'UMS_CALCULATED' }, UDSA, onUnmetered)).toEqual({
      deEnergisedFlag: false,
    });
    expect(
      checkIntervalAgainstRegistration({ ...interval, quality: 'ESTIMATED', estimationMethod: 'INVENTORY' }, UDSA, onUnmetered),
    ).toEqual({
      deEnergisedFlag: false,
    });
    expect(checkIntervalAgainstRegistration({ ...interval, quality: 'ACTUAL' }, UDSA, onUnmetered)).toMatchObject({
      reason: 'DERIVATION_NOT_FOR_SEGMENT',
    });
    expect(checkIntervalAgainstRegistration({ ...interval, quality: 'DEEMED' }, UDSA, onUnmetered)).toMatchObject({
      reason: 'DERIVATION_NOT_FOR_SEGMENT',
    });
  });

  it("PRI-019: a quantity must be one the metering point's registers record: ACTIVE_EXPORT is refused for an import metering point", () => {
    const onImport = { scope: appointed, standingDataHistory: [smart] };
    expect(checkIntervalAgainstRegistration({ ...interval, quantity: 'ACTIVE_EXPORT' }, SDSA, onImport)).toEqual({
      reason: 'QUANTITY_NOT_FOR_ENERGY_DIRECTION',
      message:
        'ACTIVE_EXPORT is not measured at 1200000000420: it is an IMPORT metering point on 2026-07-01, whose registers record ACTIVE_IMPORT only (PRI-019)',
    });
    const onExport = { scope: appointed, standingDataHistory: [{ ...smart, energyDirection: 'EXPORT' as const }] };
    expect(checkIntervalAgainstRegistration(interval, SDSA, onExport)).toMatchObject({ reason: 'QUANTITY_NOT_FOR_ENERGY_DIRECTION' });
  });

  it('PRI-019: data of an export metering point is refused with EXPORT_NOT_SETTLED, as settlement aggregates import only', () => {
    const onExport = { scope: appointed, standingDataHistory: [{ ...smart, energyDirection: 'EXPORT' as const }] };
    expect(checkIntervalAgainstRegistration({ ...interval, quantity: 'ACTIVE_EXPORT' }, SDSA, onExport)).toEqual({
      reason: 'EXPORT_NOT_SETTLED',
      message:
        '1200000000420 is an EXPORT metering point on 2026-07-01; export is not settled by this platform yet (settlement aggregates import only), so its data is not accepted (PRI-019)',
    });
  });

  it('reads zero and the standing data in force correctly', () => {
    expect(['0', '0.0', '-0.000', '000.000'].every(isZeroDecimal)).toBe(true);
    expect(['0.001', '10', '-0.5'].some(isZeroDecimal)).toBe(false);
    expect(standingDataOn([smart, deEnergised], '2026-01-31')).toBe(smart);
    expect(standingDataOn([deEnergised, smart], '2026-02-01')).toBe(deEnergised);
    expect(standingDataOn([smart], '2023-12-31')).toBeNull();
  });
});

describe('reading checks', () => {
  it('accepts a reading that fits the register, with at most 3 decimals', () => {
    expect(readingValueProblem('999999.999', 6)).toBeNull();
    expect(readingValueProblem('000123', 3)).toBeNull();
    expect(readingValueProblem('1000000', 6)?.reason).toBe('INVALID_READING_VALUE');
    expect(readingValueProblem('1.2345', null)?.reason).toBe('INVALID_READING_VALUE');
    expect(readingValueProblem('-1', null)?.reason).toBe('INVALID_READING_VALUE');
  });
});

describe('completeness windows', () => {
  it('PRI-010: clips the range to the appointment days and merges days that touch', () => {
    const from = new Date('2026-05-30T00:00:00Z');
    const end = new Date('2026-06-10T00:00:00Z');
    expect(
      appointedWindows(
        [
          { from: '2026-06-05', to: null },
          { from: '2024-01-01', to: '2026-06-01' },
          { from: '2026-06-01', to: '2026-06-02' },
        ],
        from,
        end,
      ),
    ).toEqual([
      { from, to: new Date('2026-06-02T00:00:00Z') },
      { from: new Date('2026-06-05T00:00:00Z'), to: end },
    ]);
    expect(appointedWindows([{ from: '2026-07-01', to: null }], from, end)).toEqual([]);
  });
});
