import { isDataServiceRole } from '../core';
import { aggregateInDatabase, type AggregationTimings } from './aggregate-in-database';
import {
  AggregationDay,
  AggregationResult,
  IntervalData,
  MeteringPointDay,
  RegistrationFacts,
  SettlementAggregation,
} from './aggregate-volumes';

/**
 * The Market-wide Data Service's daily job, as a participant runs it: everything goes through the gateway with the
 * MDS's own token, so it sees exactly what the @access rules and row scope give that role. Clock time comes from the
 * settlement subgraph (PRI-014); the periods of the day are whatever it says (46, 48 or 50; PRI-015). Registration
 * facts (supplier, GSP group, segment, energisation) are taken as the Registration Service holds them, not checked
 * again (PRI-011).
 */

/**
 * How the day is read: `database` (default) asks `settlementDayAggregation`, which sums next to the intervals;
 * `per-mpan` reads every metering point's facts and intervals through the gateway and sums them here (the original
 * path, kept to check the other against).
 */
export type AggregationMethod = 'database' | 'per-mpan';
export const AGGREGATION_METHODS: readonly AggregationMethod[] = ['database', 'per-mpan'];

export interface AggregateJobOptions {
  gatewayUrl: string;
  method?: AggregationMethod;
  /** Metering points per `settlementDayAggregation` page (database method; default 20,000). */
  aggregationPageSize?: number;
  /** A bearer token of a MARKET_WIDE_DATA_SERVICE participant. */
  token: string;
  settlementDate: string;
  runType: string;
  periodMinutes?: number;
  /** Metering points per `meteringPointPage` call (default 500). */
  pageSize?: number;
  /** Metering points per detail query (default 100). */
  batchSize?: number;
  /** Detail queries in flight at once (default 4). */
  concurrency?: number;
  /** Intervals per consumption page (default 100, enough for a day of 30- or 15-minute periods). */
  consumptionPageSize?: number;
}

export interface AggregateJobReport extends AggregationResult {
  settlementDate: string;
  runType: string;
  periodMinutes: number;
  periodCount: number;
  clockChange: string;
  run: { id: string; status: string; completedAt: string | null };
  method: AggregationMethod;
  /** Where the time went (database method only). */
  timings?: AggregationTimings;
}

/** What reading a day gives, before anything is submitted. */
export type AggregatedDay = Omit<AggregateJobReport, 'run'>;

/** An error the gateway returned, with its code and reason when it gave them. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

type Ask = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

/** A GraphQL client for one gateway and token; any error in the answer fails the job, naming its code. */
function createAsk(gatewayUrl: string, token: string): Ask {
  return async <T>(query: string, variables: Record<string, unknown>) => {
    let response: Response;
    try {
      response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new GatewayError(`cannot reach the gateway at ${gatewayUrl} (${cause}); is it running? (npm start, or pass --gateway)`);
    }
    const text = await response.text();
    let body: { data?: T; errors?: { message: string; extensions?: { code?: string; reason?: string } }[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new GatewayError(`${gatewayUrl} answered HTTP ${response.status} with something that is not JSON: ${text.slice(0, 200)}`);
    }
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      throw new GatewayError(
        `${first.message}${code ? ` (${code}${first.extensions?.reason ? `, ${first.extensions.reason}` : ''})` : ''}`,
        code,
        first.extensions?.reason,
      );
    }
    if (!response.ok || !body.data) throw new GatewayError(`${gatewayUrl} answered HTTP ${response.status} without data`);
    return body.data;
  };
}

export const SETTLEMENT_DAY_QUERY = `query SettlementDay($settlementDate: Date!, $periodMinutes: Int!) {
  settlementDay(settlementDate: $settlementDate, periodMinutes: $periodMinutes) {
    settlementDate utcStart utcEnd periodMinutes periodCount clockChange periods { utcStart }
  }
}`;

export const PAGE_QUERY = `query MeteringPointPage($first: Int!, $after: String) {
  meteringPointPage(first: $first, after: $after) { nodes { mpanCore } endCursor hasNextPage }
}`;

const CONSUMPTION_SELECTION = `edges { node { utcStart periodMinutes value quality dataService { id } } } pageInfo { hasNextPage endCursor }`;

/**
 * The detail query of one batch: the registration facts in force on each UTC day the settlement day touches (a UK
 * day spans two UTC days in summer), and the day's consumption.
 */
export function batchQuery(utcDayCount: number, consumptionPageSize: number): string {
  const days = Array.from({ length: utcDayCount }, (_, i) => i);
  return `query AggregationBatch($mpanCores: [MpanCore!]!, $from: DateTime!, $to: DateTime!, ${days.map((i) => `$at${i}: DateTime!`).join(', ')}) {
  meteringPoints(mpanCores: $mpanCores) {
    mpanCore
${days
  .map(
    (i) => `    supplier${i}: currentSupplier(at: $at${i}) { supplier { id } }
    standing${i}: standingData(at: $at${i}) { gspGroup { id } marketSegment energisationStatus energyDirection }
    allocation${i}: bmUnitAllocation(at: $at${i}) { bmUnit { id } }
    appointments${i}: currentAppointments(at: $at${i}) { serviceRole provider { id } }`,
  )
  .join('\n')}
    consumption(from: $from, to: $to, first: ${consumptionPageSize}) { ${CONSUMPTION_SELECTION} }
  }
}`;
}

/** Further consumption pages of several metering points at once, each after its own cursor. */
export function morePagesQuery(count: number, consumptionPageSize: number): string {
  const points = Array.from({ length: count }, (_, i) => i);
  return `query MoreConsumption($from: DateTime!, $to: DateTime!, ${points.map((i) => `$mpan${i}: MpanCore!, $after${i}: String!`).join(', ')}) {
${points
  .map(
    (i) =>
      `  point${i}: meteringPoint(mpanCore: $mpan${i}) { consumption(from: $from, to: $to, first: ${consumptionPageSize}, after: $after${i}) { ${CONSUMPTION_SELECTION} } }`,
  )
  .join('\n')}
}`;
}

export const SUBMIT_MUTATION = `mutation SubmitAggregation($input: SubmitAggregationInput!) {
  submitAggregation(input: $input) { id status completedAt }
}`;

interface ConsumptionPage {
  edges: {
    node: { utcStart: string; periodMinutes: number; value: string; quality: IntervalData['quality']; dataService: { id: string } };
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

// The rest of a metering point is the query's selection, read field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type BatchPoint = { mpanCore: string; consumption: ConsumptionPage } & Record<string, any>;

const toIntervals = (page: ConsumptionPage): IntervalData[] =>
  page.edges.map(({ node }) => ({
    utcStart: node.utcStart,
    periodMinutes: node.periodMinutes,
    value: node.value,
    quality: node.quality,
    dataServiceId: node.dataService.id,
  }));

/** Reads the day through the gateway, aggregates it and submits the run; returns what was submitted. */
export async function runAggregation(options: AggregateJobOptions): Promise<AggregateJobReport> {
  const day = await readAggregation(options);
  const { submitAggregation: run } = await createAsk(options.gatewayUrl, options.token)<{ submitAggregation: AggregateJobReport['run'] }>(
    SUBMIT_MUTATION,
    {
      input: {
        settlementDate: day.settlementDate,
        runType: options.runType,
        periodMinutes: day.periodMinutes,
        volumes: day.volumes,
        exceptions: day.exceptions,
      },
    },
  );
  return { ...day, run };
}

/** Reads and aggregates the day through the gateway with the chosen method; submits nothing. */
export async function readAggregation(options: AggregateJobOptions): Promise<AggregatedDay> {
  const ask = createAsk(options.gatewayUrl, options.token);
  const periodMinutes = options.periodMinutes ?? 30;
  const method = options.method ?? 'database';
  const { settlementDay: day } = await ask<{
    settlementDay: {
      settlementDate: string;
      utcStart: string;
      utcEnd: string;
      periodMinutes: number;
      periodCount: number;
      clockChange: string;
      periods: { utcStart: string }[];
    };
  }>(SETTLEMENT_DAY_QUERY, { settlementDate: options.settlementDate, periodMinutes });

  const common = {
    settlementDate: day.settlementDate,
    runType: options.runType,
    periodMinutes,
    periodCount: day.periodCount,
    clockChange: day.clockChange,
    method,
  };
  if (method === 'database') {
    const { result, timings } = await aggregateInDatabase(
      ask,
      { settlementDate: day.settlementDate, periodMinutes },
      options.aggregationPageSize ?? 20_000,
    );
    return { ...result, ...common, timings };
  }

  const aggregationDay: AggregationDay = {
    settlementDate: day.settlementDate,
    periodMinutes,
    periodStarts: day.periods.map((p) => p.utcStart),
  };
  // Registration data is effective by UTC day: ask for the facts once per UTC day the settlement day touches.
  const utcDays = [...new Set(aggregationDay.periodStarts.map((start) => start.slice(0, 10)))];
  const consumptionPageSize = options.consumptionPageSize ?? 100;
  const detailQuery = batchQuery(utcDays.length, consumptionPageSize);
  const atVariables = Object.fromEntries(utcDays.map((utcDay, i) => [`at${i}`, `${utcDay}T00:00:00.000Z`]));
  const range = { from: day.utcStart, to: day.utcEnd };
  const aggregation = new SettlementAggregation(aggregationDay);

  const readBatch = async (mpanCores: string[]) => {
    const { meteringPoints } = await ask<{ meteringPoints: (BatchPoint | null)[] }>(detailQuery, { mpanCores, ...range, ...atVariables });
    const points = meteringPoints.filter((point): point is BatchPoint => point !== null);
    const intervals = new Map(points.map((point) => [point.mpanCore, toIntervals(point.consumption)]));
    const unfinished = points
      .filter((point) => point.consumption.pageInfo.hasNextPage)
      .map((point) => ({ mpanCore: point.mpanCore, after: point.consumption.pageInfo.endCursor! }));
    await readRemainingPages(ask, range, consumptionPageSize, unfinished, intervals);
    for (const point of points) {
      const factsByUtcDay = Object.fromEntries(utcDays.map((utcDay, i) => [utcDay, factsOf(point, i)]));
      aggregation.addMeteringPoint({
        mpanCore: point.mpanCore,
        factsByUtcDay,
        intervals: intervals.get(point.mpanCore)!,
      } satisfies MeteringPointDay);
    }
  };

  const pageSize = options.pageSize ?? 500;
  const batchSize = options.batchSize ?? 100;
  let after: string | null = null;
  for (;;) {
    const {
      meteringPointPage: page,
    }: { meteringPointPage: { nodes: { mpanCore: string }[]; endCursor: string | null; hasNextPage: boolean } } = await ask(PAGE_QUERY, {
      first: pageSize,
      after,
    });
    const batches: string[][] = [];
    for (let i = 0; i < page.nodes.length; i += batchSize) batches.push(page.nodes.slice(i, i + batchSize).map((n) => n.mpanCore));
    await inParallel(batches, options.concurrency ?? 4, readBatch);
    if (!page.hasNextPage) break;
    after = page.endCursor;
  }

  return { ...aggregation.result(), ...common };
}

/** The registration facts of one batch answer for UTC day number `i` (the aliases of `batchQuery`). */
function factsOf(point: BatchPoint, i: number): RegistrationFacts {
  const standing = point[`standing${i}`];
  const appointments: { serviceRole: string; provider: { id: string } }[] = point[`appointments${i}`] ?? [];
  return {
    supplierId: point[`supplier${i}`]?.supplier.id ?? null,
    gspGroupId: standing?.gspGroup.id ?? null,
    marketSegment: standing?.marketSegment ?? null,
    energisationStatus: standing?.energisationStatus ?? null,
    energyDirection: standing?.energyDirection ?? null,
    bmUnitId: point[`allocation${i}`]?.bmUnit.id ?? null,
    dataServiceId: appointments.find((a) => isDataServiceRole(a.serviceRole))?.provider.id ?? null,
  };
}

/** Follows the consumption cursors of the metering points that have more than one page, all of them per query. */
async function readRemainingPages(
  ask: Ask,
  range: { from: string; to: string },
  consumptionPageSize: number,
  pending: { mpanCore: string; after: string }[],
  intervals: Map<string, IntervalData[]>,
): Promise<void> {
  while (pending.length > 0) {
    const variables: Record<string, unknown> = { ...range };
    pending.forEach((p, i) => Object.assign(variables, { [`mpan${i}`]: p.mpanCore, [`after${i}`]: p.after }));
    const answer = await ask<Record<string, { consumption: ConsumptionPage } | null>>(
      morePagesQuery(pending.length, consumptionPageSize),
      variables,
    );
    const next: typeof pending = [];
    pending.forEach((p, i) => {
      const page = answer[`point${i}`]?.consumption;
      if (!page) return;
      intervals.get(p.mpanCore)!.push(...toIntervals(page));
      if (page.pageInfo.hasNextPage && page.pageInfo.endCursor) next.push({ mpanCore: p.mpanCore, after: page.pageInfo.endCursor });
    });
    pending = next;
  }
}

/** Runs `work` on every item with at most `limit` in flight; the first failure fails the whole. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
