import { appointmentStatusOn } from '../../../subgraphs/appointment/appointment-status';

const accepted = { decision: 'ACCEPTED' as const, effectiveFrom: '2026-12-15', effectiveTo: '2027-03-01' };

describe('appointment status on a UTC day (PRI-018)', () => {
  it('is ACCEPTED before the effective date, ACTIVE from it and ENDED from the end date (PRI-020: never backdated)', () => {
    expect(appointmentStatusOn(accepted, '2026-12-14')).toBe('ACCEPTED');
    expect(appointmentStatusOn(accepted, '2026-12-15')).toBe('ACTIVE');
    expect(appointmentStatusOn(accepted, '2027-02-28')).toBe('ACTIVE');
    expect(appointmentStatusOn(accepted, '2027-03-01')).toBe('ENDED');
  });

  it('stays ACTIVE while an accepted appointment has no end date', () => {
    expect(appointmentStatusOn({ ...accepted, effectiveTo: null }, '2099-01-01')).toBe('ACTIVE');
  });

  it('keeps REQUESTED and REJECTED whatever the date', () => {
    expect(appointmentStatusOn({ ...accepted, decision: 'REQUESTED' }, '2027-01-01')).toBe('REQUESTED');
    expect(appointmentStatusOn({ ...accepted, decision: 'REJECTED' }, '2027-01-01')).toBe('REJECTED');
  });
});
