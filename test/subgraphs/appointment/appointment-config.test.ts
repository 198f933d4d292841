import { readAppointmentConfig } from '../../../subgraphs/appointment/config';

describe('appointment process settings', () => {
  it('gives a provider 5 days to answer and relays through RSVC unless configured (PRI-026: the supplier chases after that)', () => {
    expect(readAppointmentConfig({})).toEqual({ responseWindowMs: 5 * 86_400_000, registrationServiceId: 'RSVC' });
  });

  it('reads the response window in days and the Registration Service MPID from the environment', () => {
    expect(readAppointmentConfig({ APPOINTMENT_RESPONSE_DAYS: '0.5', REGISTRATION_SERVICE_ID: 'RS14' })).toEqual({
      responseWindowMs: 43_200_000,
      registrationServiceId: 'RS14',
    });
  });

  it.each(['0', '-1', 'five', '5d'])('refuses APPOINTMENT_RESPONSE_DAYS=%s, saying what is accepted', (value) => {
    expect(() => readAppointmentConfig({ APPOINTMENT_RESPONSE_DAYS: value })).toThrow(
      `APPOINTMENT_RESPONSE_DAYS must be a positive number of days, such as 5 or 0.5; got "${value}"`,
    );
  });
});
