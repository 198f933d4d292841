import { buildDemoDataset, DEMO_SETTLEMENT_DATES } from '../../dev/build-dataset';
import { explainInvalidMpanCore } from '../../core';
import { TEST_NOW } from '../support/test-clock';
import { appointmentStatusOn } from '../../subgraphs/appointment/appointment-status';
import { settlementDay, settlementPeriodOf } from '../../subgraphs/settlement/settlement-calendar';

const dataset = buildDemoDataset(TEST_NOW);
const intervals = [...dataset.intervalBatches()].flat();

describe('the demo dataset exercises the model', () => {
  it('has at least 3 suppliers and 2 distributors, one of them an iDNO', () => {
    expect(dataset.participants.filter((p) => p.roles.includes('SUPPLIER')).length).toBeGreaterThanOrEqual(3);
    expect(dataset.distributors.length).toBeGreaterThanOrEqual(2);
    expect(dataset.distributors.map((d) => d.kind)).toContain('IDNO');
  });

  it('has 50 MPANs with valid check digits, in all three segments, some de-energised', () => {
    expect(dataset.meteringPoints).toHaveLength(50);
    expect(dataset.meteringPoints.map((mp) => explainInvalidMpanCore(mp.mpanCore)).filter(Boolean)).toEqual([]);
    expect(new Set(dataset.standingData.map((s) => s.marketSegment))).toEqual(new Set(['SMART', 'ADVANCED', 'UNMETERED']));
    expect(dataset.standingData.some((s) => s.energisationStatus === 'DE_ENERGISED')).toBe(true);
  });

  it('keeps each MPAN in a GSP group valid for its distributor (PRI-012)', () => {
    const groupsOf = new Map(dataset.distributors.map((d) => [d.id, d.gspGroupIds]));
    const byMpan = new Map(dataset.meteringPoints.map((mp) => [mp.mpanCore, mp.distributorId]));
    const invalid = dataset.standingData.filter((s) => !groupsOf.get(byMpan.get(s.mpanCore)!)!.includes(s.gspGroupId));
    expect(invalid).toEqual([]);
  });

  it.each(['2026-11-27T12:00:00Z', '2027-06-01T12:00:00Z', '2027-10-31T01:30:00Z', '2031-02-14T08:00:00Z'])(
    'has appointments in every status, one overdue request and open read requests on the day it is seeded (%s)',
    (seededAt) => {
      const seeded = buildDemoDataset(new Date(seededAt));
      const today = seededAt.slice(0, 10);
      const statuses = new Set(seeded.appointments.map((a) => appointmentStatusOn(a, today)));
      expect([...statuses].sort()).toEqual(['ACCEPTED', 'ACTIVE', 'ENDED', 'REJECTED', 'REQUESTED']);
      const at = Date.parse(seededAt);
      const requested = seeded.appointments.filter((a) => a.decision === 'REQUESTED');
      expect(requested.some((a) => a.respondBy.getTime() < at)).toBe(true);
      expect(requested.some((a) => a.respondBy.getTime() > at)).toBe(true);
      expect(requested.every((a) => a.requestedAt.getTime() < at && a.effectiveFrom > today)).toBe(true);
      const open = seeded.readRequests.filter((q) => q.status === 'OPEN');
      expect(open.length).toBeGreaterThan(0);
      expect(open.every((q) => q.requestedAt.getTime() < at && q.dueBy.getTime() > at)).toBe(true);
    },
  );

  it('is the same dataset for the same seeding instant, and moves only its in-flight rows with the seeding day', () => {
    const later = buildDemoDataset(new Date('2027-06-01T12:00:00Z'));
    expect(buildDemoDataset(TEST_NOW).appointments).toEqual(dataset.appointments);
    const moved = dataset.appointments.filter(
      (a, i) => a.effectiveFrom !== later.appointments[i].effectiveFrom || a.effectiveTo !== later.appointments[i].effectiveTo,
    );
    expect(new Set(moved.map((a) => a.id.split('-').pop()))).toEqual(new Set(['DS1', 'DS2', 'DS3', 'DS4']));
    expect(later.meteringPoints).toEqual(dataset.meteringPoints);
    expect(later.supplierRegistrations).toEqual(dataset.supplierRegistrations);
    expect(later.settlementRuns).toEqual(dataset.settlementRuns);
  });

  it('has 7 days of half-hourly consumption for every MPAN, including both clock-change days of 2026', () => {
    expect(DEMO_SETTLEMENT_DATES).toHaveLength(7);
    const periodsPerDate = new Map<string, Set<number>>();
    for (const interval of intervals) {
      const { settlementDate, settlementPeriod } = settlementPeriodOf(interval.utcStart, 30);
      if (!periodsPerDate.has(settlementDate)) periodsPerDate.set(settlementDate, new Set());
      periodsPerDate.get(settlementDate)!.add(settlementPeriod);
    }
    expect([...periodsPerDate.keys()].sort()).toEqual(DEMO_SETTLEMENT_DATES);
    expect(periodsPerDate.get('2026-03-29')!.size).toBe(46);
    expect(periodsPerDate.get('2026-10-25')!.size).toBe(50);
    expect(settlementDay('2026-03-29', 30).clockChange).toBe('SPRING_FORWARD');
    expect(settlementDay('2026-10-25', 30).clockChange).toBe('AUTUMN_BACK');
    expect(new Set(intervals.map((i) => i.mpanCore)).size).toBe(50);
  });

  it('records how each value was derived (PRI-005) and keeps replaced versions', () => {
    expect(new Set(intervals.map((i) => i.quality))).toEqual(new Set(['ACTUAL', 'ESTIMATED', 'UMS_CALCULATED']));
    expect(intervals.filter((i) => i.quality === 'ESTIMATED').every((i) => i.estimationMethod)).toBe(true);
    expect(intervals.some((i) => i.version === 2)).toBe(true);
    expect(intervals.filter((i) => i.supersededAt).length).toBe(intervals.filter((i) => i.version === 2).length);
    expect(intervals.every((i) => /^\d+\.\d{3}$/.test(i.value))).toBe(true);
  });

  it('has meter readings with history and open initial read requests', () => {
    expect(dataset.readings.some((r) => r.version === 2)).toBe(true);
    expect(dataset.readRequests.filter((r) => r.status === 'OPEN').length).toBeGreaterThan(0);
    expect(new Set(dataset.readRequests.map((r) => r.reason))).toEqual(new Set(['NON_SMART_METER', 'SMART_COMMS_FAULT']));
  });

  it('has at least 5 BM units with CRA attributes and their BSC parties', () => {
    expect(dataset.bmUnits.length).toBeGreaterThanOrEqual(5);
    const parties = new Set(dataset.bscParties.map((p) => p.id));
    expect(dataset.bmUnits.every((u) => parties.has(u.leadPartyId) && u.creditAssessmentLoadFactor && u.demandCapacityMw)).toBe(true);
  });

  it('has one settlement run with aggregated volumes over all 50 periods of its clock-change day, and exceptions', () => {
    expect(dataset.settlementRuns).toHaveLength(1);
    const periods = new Set(dataset.aggregatedVolumes.map((v) => v.utcStart.toISOString()));
    expect(periods.size).toBe(50);
    expect(new Set(dataset.settlementExceptions.map((e) => e.exceptionType))).toEqual(new Set(['MISSING_DATA', 'DATA_FOR_DE_ENERGISED']));
  });
});
