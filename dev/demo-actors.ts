import type { MarketRole } from '../core';

/** One demo participant per market role, for dev tokens and the playground's "act as" list. */
export const DEMO_ACTORS: readonly { role: MarketRole; participant: string; name: string }[] = [
  { role: 'SUPPLIER', participant: 'SUPA', name: 'Aurora Energy Supply' },
  { role: 'REGISTRATION_SERVICE', participant: 'RSVC', name: 'Registration Service' },
  { role: 'SMART_DATA_SERVICE', participant: 'SDSA', name: 'Alpha Smart Data Services' },
  { role: 'METER_READING_SERVICE', participant: 'MRSA', name: 'Alpha Meter Reading' },
  { role: 'ADVANCED_DATA_SERVICE', participant: 'ADSA', name: 'Apex Advanced Data Services' },
  { role: 'UNMETERED_DATA_SERVICE', participant: 'UDSA', name: 'Umbra Unmetered Data Services' },
  { role: 'SMART_METERING_SERVICE', participant: 'MSSA', name: 'Sigma Smart Metering' },
  { role: 'ADVANCED_METERING_SERVICE', participant: 'MSAA', name: 'Atlas Advanced Metering' },
  { role: 'DISTRIBUTOR', participant: 'LOND', name: 'London Power Networks' },
  { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV', name: 'Market-wide Data Service' },
  { role: 'VOLUME_ALLOCATION_SERVICE', participant: 'VASV', name: 'Volume Allocation Service' },
  { role: 'CENTRAL_REGISTRATION_AGENT', participant: 'CRAG', name: 'Central Registration Agent' },
];
