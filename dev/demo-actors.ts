import { MARKET_ROLES, type MarketRole } from '../core';

/** One demo participant per market role: a new role does not compile until it has one. */
const DEMO_ACTOR_OF: Readonly<Record<MarketRole, { participant: string; name: string }>> = {
  SUPPLIER: { participant: 'SUPA', name: 'Aurora Energy Supply' },
  REGISTRATION_SERVICE: { participant: 'RSVC', name: 'Registration Service' },
  SMART_DATA_SERVICE: { participant: 'SDSA', name: 'Alpha Smart Data Services' },
  METER_READING_SERVICE: { participant: 'MRSA', name: 'Alpha Meter Reading' },
  ADVANCED_DATA_SERVICE: { participant: 'ADSA', name: 'Apex Advanced Data Services' },
  UNMETERED_DATA_SERVICE: { participant: 'UDSA', name: 'Umbra Unmetered Data Services' },
  SMART_METERING_SERVICE: { participant: 'MSSA', name: 'Sigma Smart Metering' },
  ADVANCED_METERING_SERVICE: { participant: 'MSAA', name: 'Atlas Advanced Metering' },
  DISTRIBUTOR: { participant: 'LOND', name: 'London Power Networks' },
  MARKET_WIDE_DATA_SERVICE: { participant: 'MDSV', name: 'Market-wide Data Service' },
  VOLUME_ALLOCATION_SERVICE: { participant: 'VASV', name: 'Volume Allocation Service' },
  CENTRAL_REGISTRATION_AGENT: { participant: 'CRAG', name: 'Central Registration Agent' },
};

/** The demo participants in MARKET_ROLES order, for dev tokens and the playground's "act as" list. */
export const DEMO_ACTORS: readonly { role: MarketRole; participant: string; name: string }[] = MARKET_ROLES.map((role) => ({
  role,
  ...DEMO_ACTOR_OF[role],
}));
