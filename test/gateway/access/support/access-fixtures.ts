import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { buildDemoDataset } from '../../../../dev/build-dataset';
import { readCommittedSupergraph } from '../../../../dev/compose-supergraph';
import { buildApiSchema } from '../../../../gateway/access/api-schema';
import { readAccessPolicy, MARKET_ROLES, MarketRole } from '../../../../core';
import type { Actor } from '../../../support/test-keys';
import { TEST_NOW } from '../../../support/test-clock';

// What the access tests act on: the committed supergraph and its rules, and per role an actor with a subject metering
// point inside that actor's row scope, so an allowed query really returns data.

export const SUPERGRAPH = readCommittedSupergraph();
export const API_SCHEMA = buildApiSchema(SUPERGRAPH);
export const POLICY = readAccessPolicy(parse(SUPERGRAPH));
export const ROLES: readonly MarketRole[] = MARKET_ROLES;

export const DEMO = buildDemoDataset(TEST_NOW);
/** MPAN core of demo metering point number `index`. */
export const mpanAt = (index: number): string => DEMO.meteringPoints[index].mpanCore;
export const ALL_MPANS: readonly string[] = DEMO.meteringPoints.map((mp) => mp.mpanCore);
/** A valid MPAN core (check digit right) that no one has registered. */
export const UNREGISTERED_MPAN = '1000000000012';
export const RUN_ID = 'RUN-2026-10-25-SF';
export const RUN_DATE = '2026-10-25';

/** An actor and the demo metering point (by index) it acts on. */
export interface RoleSubject {
  actor: Actor;
  mpanIndex: number;
  /** An appointment on the subject metering point that the actor may see. */
  appointmentId: string;
}

const subject = (role: MarketRole, participant: string, mpanIndex: number, appointment: 'DS1' | 'MS1' = 'DS1'): RoleSubject => ({
  actor: { role, participant },
  mpanIndex,
  appointmentId: `APT-${mpanAt(mpanIndex)}-${appointment}`,
});

/**
 * Per role the actor and subject: metering point 5 is smart with a comms fault (an open read request for MRSA), on
 * MIDE's network, supplied by SUPC; 6 is advanced (ADSA, MSAA); 9 is unmetered (UDSA). The central roles without
 * metering-point business (VASV, CRAG) are given 5 too: every metering-point field is refused to them anyway.
 */
export const ROLE_SUBJECTS: Record<MarketRole, RoleSubject> = {
  SUPPLIER: subject('SUPPLIER', 'SUPC', 5),
  REGISTRATION_SERVICE: subject('REGISTRATION_SERVICE', 'RSVC', 5),
  SMART_DATA_SERVICE: subject('SMART_DATA_SERVICE', 'SDSA', 5),
  METER_READING_SERVICE: subject('METER_READING_SERVICE', 'MRSA', 5),
  ADVANCED_DATA_SERVICE: subject('ADVANCED_DATA_SERVICE', 'ADSA', 6),
  UNMETERED_DATA_SERVICE: subject('UNMETERED_DATA_SERVICE', 'UDSA', 9),
  SMART_METERING_SERVICE: subject('SMART_METERING_SERVICE', 'MSSA', 5, 'MS1'),
  ADVANCED_METERING_SERVICE: subject('ADVANCED_METERING_SERVICE', 'MSAA', 6, 'MS1'),
  DISTRIBUTOR: subject('DISTRIBUTOR', 'MIDE', 5),
  MARKET_WIDE_DATA_SERVICE: subject('MARKET_WIDE_DATA_SERVICE', 'MDSV', 5),
  VOLUME_ALLOCATION_SERVICE: subject('VOLUME_ALLOCATION_SERVICE', 'VASV', 5),
  CENTRAL_REGISTRATION_AGENT: subject('CENTRAL_REGISTRATION_AGENT', 'CRAG', 5),
};

/** How wide a query is: `narrow` asks for the subject only, `broad` for every demo metering point and participant. */
export type Breadth = 'narrow' | 'broad';

/**
 * GraphQL arguments for a field coordinate: every required argument has a fixture (a new one fails `argumentsFor`
 * loudly), and a few optional ones keep responses small. Returns '' for a field that needs none.
 */
export function argumentsFor(coordinate: string, subjectOf: RoleSubject, breadth: Breadth = 'narrow'): string {
  const mpan = mpanAt(subjectOf.mpanIndex);
  const list = (values: readonly string[]) => `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;
  switch (coordinate) {
    case 'Query.appointment':
      return `id: "${subjectOf.appointmentId}"`;
    case 'Query.readRequest':
      return `id: "RR-${mpan}-2"`;
    case 'Query.meteringPoint':
      return `mpanCore: "${mpan}"`;
    case 'Query.meteringPoints':
      return `mpanCores: ${breadth === 'broad' ? list([...ALL_MPANS, UNREGISTERED_MPAN]) : list([mpan])}`;
    case 'Query.marketParticipants':
      return `ids: ${breadth === 'broad' ? list(DEMO.participants.map((p) => p.id)) : list([subjectOf.actor.participant])}`;
    case 'Query.settlementPeriod':
      return `utcStart: "${RUN_DATE}T00:00:00Z"`;
    case 'Query.settlementDay':
      return `settlementDate: "${RUN_DATE}"`;
    case 'Query.settlementRun':
      return `id: "${RUN_ID}"`;
    case 'Query.missingPeriods':
      // A day after the demo data ends: every period of a metering point in scope is missing, so there are rows to see.
      return breadth === 'broad'
        ? `from: "${RUN_DATE}T00:00:00Z", to: "${RUN_DATE}T12:00:00Z"`
        : `from: "2026-10-28T00:00:00Z", to: "2026-10-28T01:00:00Z", mpanCores: ${list([mpan])}`;
    case 'Query.myAppointments':
      return `from: "2026-01-01", to: "2026-12-31"`;
    case 'Query.meteringPointPage':
      return breadth === 'broad' ? '' : 'first: 2';
    case 'MeteringPoint.consumption':
      return breadth === 'broad'
        ? `from: "${RUN_DATE}T00:00:00Z", to: "${RUN_DATE}T12:00:00Z", first: 24`
        : `from: "${RUN_DATE}T00:00:00Z", to: "${RUN_DATE}T01:00:00Z", first: 2`;
    case 'Query.consumptionSeries':
      return breadth === 'broad' ? `settlementDate: "${RUN_DATE}"` : `settlementDate: "${RUN_DATE}", mpanCores: ${list([mpan])}, first: 2`;
    case 'MeteringPoint.consumptionSeries':
      return `fromDate: "${RUN_DATE}", toDate: "${RUN_DATE}"`;
    case 'Query.settlementDayAggregation':
      // Every demo metering point, so the day has exceptions to reach (the first few have none).
      return `settlementDate: "${RUN_DATE}"`;
    case 'Query.settlementFactsPage':
      return `onDates: ${list([RUN_DATE])}, first: ${breadth === 'broad' ? 1000 : 2}`;
    default:
      return '';
  }
}

/** The operation hash Apollo Server reports (`queryHash`): SHA-256 of the query text, hex. */
export function operationHash(query: string): string {
  return createHash('sha256').update(query).digest('hex');
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
