import type { DemoDataset } from '../../dev/dataset';
import { settlementDay } from '../../subgraphs/settlement/settlement-calendar';
import type { BenchActor, ReadScenario } from '../scenarios';

export const GATEWAY_BOUND_ID = 'gateway-bound';
/** Constant virtual users, closed loop (The Guild's gateway benchmark runs 50). */
export const GATEWAY_BOUND_CONNECTIONS = 50;
const MPANS_PER_REQUEST = 5;
// Few distinct bodies: each is recorded once per gateway through the real subgraphs before the canned replay.
const BODIES = 8;

const MARKET_WIDE: BenchActor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };

/**
 * The Guild's deep query shape (users → reviews → product → reviews → author → reviews → product, fragments at every
 * level) over this schema: metering points (registration) → appointments (appointment) → their metering point again
 * (registration) → consumption (metering data) → settlement periods (settlement) → the appointment history
 * (appointment) → the metering point once more; every hop is an entity fetch into another subgraph.
 */
export const GATEWAY_BOUND_QUERY = `fragment Party on MarketParticipant { id name roles }
fragment Period on SettlementPeriod { settlementDate settlementPeriod localStartTime clockChange }
fragment Point on MeteringPoint { mpanCore marketSegment energisationStatus gspGroup { id name } }
fragment Appointed on Appointment { id serviceRole status scenario effectiveFrom effectiveTo provider { ...Party } requestingSupplier { ...Party } }
fragment Intervals on ConsumptionConnection { edges { node { utcStart value quality settlementPeriod { ...Period } dataService { ...Party } } } }
query GatewayBound($mpanCores: [MpanCore!]!, $from: DateTime!, $to: DateTime!) {
  meteringPoints(mpanCores: $mpanCores) {
    ...Point
    distributor { id name kind participant { ...Party } }
    currentSupplier { effectiveFrom supplier { ...Party } }
    bmUnitAllocation { effectiveFrom bmUnit { id kind gspGroup { id name } } }
    consumption(from: $from, to: $to, first: 4) { ...Intervals }
    currentAppointments {
      ...Appointed
      meteringPoint {
        ...Point
        currentSupplier { supplier { ...Party } }
        consumption(from: $from, to: $to, first: 2) { edges { node { utcStart value settlementPeriod { settlementPeriod } } } }
        appointmentHistory {
          ...Appointed
          meteringPoint { ...Point distributor { id name } bmUnitAllocation { bmUnit { id kind } } }
        }
      }
    }
  }
}`;

/** The scenario: 5 metering points a request, 8 bodies in rotation, the last seeded day's first periods. */
export function buildGatewayBoundScenario(dataset: DemoDataset, dates: string[]): ReadScenario {
  const lastDay = settlementDay(dates[dates.length - 1], 30);
  const range = { from: lastDay.utcStart.toISOString(), to: lastDay.utcEnd.toISOString() };
  const mpans = dataset.meteringPoints.map((mp) => mp.mpanCore);
  const stride = Math.max(1, Math.floor(mpans.length / (BODIES * MPANS_PER_REQUEST)));
  const bodies = Array.from({ length: BODIES }, (_, b) =>
    JSON.stringify({
      query: GATEWAY_BOUND_QUERY,
      variables: {
        mpanCores: Array.from({ length: MPANS_PER_REQUEST }, (_, i) => mpans[((b * MPANS_PER_REQUEST + i) * stride) % mpans.length]),
        ...range,
      },
    }),
  );
  return {
    kind: 'read',
    id: GATEWAY_BOUND_ID,
    title: `(gateway-bound) the deep query over canned subgraphs: ${MPANS_PER_REQUEST} MPANs a request, ${GATEWAY_BOUND_CONNECTIONS} connections (MWDS)`,
    actor: MARKET_WIDE,
    bodies,
    connections: GATEWAY_BOUND_CONNECTIONS,
  };
}
