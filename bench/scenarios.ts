import type { DemoDataset } from '../dev/dataset';
import type { MarketRole } from '../core';
import { settlementDay } from '../subgraphs/settlement/settlement-calendar';
import type { SubmitWorkerPlan } from './load-protocol';
import type { YearOfData } from './year-of-data';
import { buildGatewayBoundScenario, GATEWAY_BOUND_ID } from './gateway-bound/scenario';

/** Who a scenario acts as. */
export interface BenchActor {
  role: MarketRole;
  participant: string;
}

/** A read scenario: request bodies rotated across requests, all with the same shape. */
export interface ReadScenario {
  kind: 'read';
  id: string;
  title: string;
  actor: BenchActor;
  bodies: string[];
  /** Also measured straight against this subgraph (the floor no gateway can beat). */
  directSubgraph?: string;
  /** Connections of its load when fixed by the scenario (gateway-bound: 50), else --connections. */
  connections?: number;
}

export interface PagingScenario {
  kind: 'paging';
  id: string;
  title: string;
  actor: BenchActor;
  query: string;
  variables: Record<string, unknown>;
  /** The MPAN and the year it pages through. */
  year: YearOfData;
}

export interface SubmitScenario {
  kind: 'submit';
  id: string;
  title: string;
  actor: BenchActor;
  workers: SubmitWorkerPlan[];
}

export type Scenario = ReadScenario | PagingScenario | SubmitScenario;

export const SCENARIO_IDS = ['a', 'b', 'c', 'd', 'e', GATEWAY_BOUND_ID] as const;
/** What `npm run bench` runs without --scenarios: gateway-bound (its own processes) would take it past 15 minutes. */
export const DEFAULT_SCENARIO_IDS = ['a', 'b', 'c', 'd', 'e'] as const;

export const SUPPLIER: BenchActor = { role: 'SUPPLIER', participant: 'SUPA' };
const MARKET_WIDE: BenchActor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const SMART_DATA_SERVICE: BenchActor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };

const ROTATION = 200;
const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

const DASHBOARD = `query SupplierDashboard($mpanCore: MpanCore!, $from: DateTime!, $to: DateTime!) {
  meteringPoint(mpanCore: $mpanCore) {
    mpanCore marketSegment energisationStatus
    currentSupplier { effectiveFrom supplier { id name } }
    currentAppointments { serviceRole status effectiveFrom provider { id name } }
    consumption(from: $from, to: $to, first: 48) {
      edges { node { utcStart value quality settlementPeriod { settlementDate settlementPeriod localStartTime } } }
      pageInfo { hasNextPage }
    }
  }
}`;

// The registration subgraph's share of the dashboard: the same document through a gateway and straight to the subgraph.
const DASHBOARD_REGISTRATION = `query SupplierDashboardRegistration($mpanCore: MpanCore!) {
  meteringPoint(mpanCore: $mpanCore) {
    mpanCore marketSegment energisationStatus
    currentSupplier { effectiveFrom supplier { id name } }
  }
}`;

const PORTFOLIO = `query Portfolio($mpanCores: [MpanCore!]!, $from: DateTime!, $to: DateTime!) {
  meteringPoints(mpanCores: $mpanCores) {
    mpanCore marketSegment
    currentSupplier { supplier { id } }
    currentAppointments { serviceRole status provider { id name } }
    consumption(from: $from, to: $to, first: 1) { edges { node { utcStart value quality } } }
  }
}`;

const YEAR = `query YearOfData($mpanCore: MpanCore!, $from: DateTime!, $to: DateTime!, $after: String) {
  meteringPoint(mpanCore: $mpanCore) {
    consumption(from: $from, to: $to, first: 2000, after: $after) {
      edges { node { utcStart value quality version } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const DEEP = `query Deep($mpanCores: [MpanCore!]!, $from: DateTime!, $to: DateTime!) {
  meteringPoints(mpanCores: $mpanCores) {
    mpanCore marketSegment
    gspGroup { id name }
    distributor { id name participant { id name } }
    currentSupplier { effectiveFrom supplier { id name roles } }
    currentAppointments { serviceRole status provider { id name roles } requestingSupplier { id name } }
    consumption(from: $from, to: $to, first: 4) {
      edges { node { utcStart value settlementPeriod { settlementDate settlementPeriod localStartTime clockChange } dataService { id name } } }
    }
    bmUnitAllocation { effectiveFrom bmUnit { id kind gspGroup { id name } } }
  }
}`;

/**
 * Builds the chosen scenarios from the seeded dataset; `dates` are the seeded settlement dates in order, `year` the
 * MPAN topped up to a full year for (c) (required when (c) is chosen).
 */
export function buildScenarios(dataset: DemoDataset, dates: string[], chosen: readonly string[], now: Date, year?: YearOfData): Scenario[] {
  const lastDay = settlementDay(dates[dates.length - 1], 30);
  const lastDayRange = { from: lastDay.utcStart.toISOString(), to: lastDay.utcEnd.toISOString() };
  const lastPeriod = { from: new Date(lastDay.utcEnd.getTime() - 30 * 60_000).toISOString(), to: lastDay.utcEnd.toISOString() };
  const allMpans = dataset.meteringPoints.map((mp) => mp.mpanCore);
  const supplierMpans = dataset.supplierRegistrations
    .filter((r) => r.supplierId === SUPPLIER.participant && r.effectiveTo === null)
    .map((r) => r.mpanCore);
  const scenarios: Scenario[] = [];

  if (chosen.includes('a')) {
    const mpans = supplierMpans.slice(0, ROTATION);
    scenarios.push({
      kind: 'read',
      id: 'a',
      title: '(a) supplier dashboard: 1 MPAN, registration, appointments, 48 intervals + settlement period',
      actor: SUPPLIER,
      bodies: mpans.map((mpanCore) => body(DASHBOARD, { mpanCore, ...lastDayRange })),
    });
    scenarios.push({
      kind: 'read',
      id: 'a-reg',
      title: '(a) registration part only (gateway vs direct subgraph call)',
      actor: SUPPLIER,
      bodies: mpans.map((mpanCore) => body(DASHBOARD_REGISTRATION, { mpanCore })),
      directSubgraph: 'registration',
    });
  }
  if (chosen.includes('b')) {
    // Windows of 100 consecutive MPANs, shifted per request.
    const bodies = Array.from({ length: Math.min(ROTATION, Math.max(1, allMpans.length - 99)) }, (_, i) =>
      body(PORTFOLIO, { mpanCores: allMpans.slice((i * 7) % Math.max(1, allMpans.length - 99)).slice(0, 100), ...lastPeriod }),
    );
    scenarios.push({
      kind: 'read',
      id: 'b',
      title: '(b) portfolio: 100 MPANs, appointments, latest interval (MWDS)',
      actor: MARKET_WIDE,
      bodies,
    });
  }
  if (chosen.includes('c')) {
    if (!year) throw new Error('scenario (c) needs its year of data');
    scenarios.push({
      kind: 'paging',
      id: 'c',
      title: `(c) a year of one MPAN's interval data (${year.firstDate} … ${year.lastDate}) paged through, 2000 a page`,
      actor: SUPPLIER,
      query: YEAR,
      variables: { mpanCore: year.mpanCore, from: year.from.toISOString(), to: year.to.toISOString() },
      year,
    });
  }
  if (chosen.includes('d')) {
    const smart = new Set(dataset.standingData.filter((s) => s.marketSegment === 'SMART').map((s) => s.mpanCore));
    const appointed = [
      ...new Set(
        dataset.appointments
          .filter(
            (a) =>
              a.providerId === SMART_DATA_SERVICE.participant &&
              a.decision === 'ACCEPTED' &&
              a.effectiveFrom <= dates[0] &&
              (a.effectiveTo === null || a.effectiveTo > dates[dates.length - 1]) &&
              smart.has(a.mpanCore),
          )
          .map((a) => a.mpanCore),
      ),
    ];
    // Only days whose periods have all ended: later ones are refused as IN_THE_FUTURE.
    const days = dates
      .map((date) => settlementDay(date, 30))
      .filter((day) => day.utcEnd <= now)
      .slice(-7)
      .map((day) => Array.from({ length: day.periodCount }, (_, p) => new Date(day.utcStart.getTime() + p * 30 * 60_000).toISOString()));
    const perCall = Math.min(10_000, appointed.length * 48);
    const mpansPerCall = Math.ceil(perCall / 46);
    const workerCount = Math.max(1, Math.min(2, Math.floor(appointed.length / mpansPerCall)));
    scenarios.push({
      kind: 'submit',
      id: 'd',
      title: `(d) SMART_DATA_SERVICE submitting ${perCall} intervals per call`,
      actor: SMART_DATA_SERVICE,
      workers: Array.from({ length: workerCount }, (_, w) => ({
        mpanCores: appointed.slice(w * mpansPerCall, (w + 1) * mpansPerCall),
        days,
        intervalsPerCall: perCall,
      })),
    });
  }
  if (chosen.includes('e')) {
    const window = Math.max(1, allMpans.length - 19);
    const bodies = Array.from({ length: Math.min(ROTATION, window) }, (_, i) =>
      body(DEEP, { mpanCores: allMpans.slice((i * 13) % window).slice(0, 20), ...lastDayRange }),
    );
    scenarios.push({
      kind: 'read',
      id: 'e',
      title: '(e) deep nested: 20 MPANs across all four subgraphs (MWDS)',
      actor: MARKET_WIDE,
      bodies,
    });
  }
  if (chosen.includes(GATEWAY_BOUND_ID)) scenarios.push(buildGatewayBoundScenario(dataset, dates));
  return scenarios;
}
