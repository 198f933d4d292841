import { parseMicroUnits } from '../core';
import {
  compareExceptions,
  volumeGroupId,
  volumesInOrder,
  type AggregatedVolume,
  type VolumeGroup,
  type AggregationException,
  type AggregationResult,
} from './aggregate-volumes';

/**
 * The MDS job's default way to aggregate a settlement day: ask the metering-data subgraph, through the gateway, for
 * `settlementDayAggregation` page by page (the sums are made in SQL next to the intervals, with the facts asked of
 * their owners at request time), and add the pages up. Only the groups and exceptions cross the network, so the job's
 * memory follows the number of groups and exceptions, not of metering points or intervals.
 */

export const DAY_AGGREGATION_QUERY = `query SettlementDayAggregation($settlementDate: Date!, $periodMinutes: Int!, $first: Int!, $after: String) {
  settlementDayAggregation(settlementDate: $settlementDate, periodMinutes: $periodMinutes, first: $first, after: $after) {
    meteringPoints intervals unattributedIntervals unsettledIntervals exportMeteringPoints unreportedExceptions
    volumes { utcStart supplierId gspGroupId bmUnitId marketSegment volume actualCount estimatedCount }
    exceptions { mpanCore utcStart exceptionType supplierId dataServiceId detail }
    endCursor hasNextPage factsMilliseconds sqlMilliseconds
  }
}`;

interface DayAggregationPage {
  meteringPoints: number;
  intervals: number;
  unattributedIntervals: number;
  unsettledIntervals: number;
  exportMeteringPoints: number;
  unreportedExceptions: number;
  volumes: Omit<AggregatedVolume, 'mpanCount'>[];
  exceptions: AggregationException[];
  endCursor: string | null;
  hasNextPage: boolean;
  factsMilliseconds: number;
  sqlMilliseconds: number;
}

/** Where the time of an in-database aggregation went, in milliseconds, as the subgraph measured its part. */
export interface AggregationTimings {
  pages: number;
  /** Asking registration, settlement and appointment for the calendar and the facts. */
  factsMs: number;
  /** The aggregating SQL statements. */
  sqlMs: number;
  /** Everything from the first request to the last answer. */
  wallMs: number;
}

type Ask = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

/** Reads every page of the day's aggregation and adds them up into the result the per-MPAN path gives. */
export async function aggregateInDatabase(
  ask: Ask,
  day: { settlementDate: string; periodMinutes: number },
  pageSize: number,
): Promise<{ result: AggregationResult; timings: AggregationTimings }> {
  const started = performance.now();
  const groups = new Map<string, VolumeGroup>();
  const exceptions: AggregationException[] = [];
  const counts = {
    meteringPoints: 0,
    intervals: 0,
    unattributedIntervals: 0,
    unsettledIntervals: 0,
    exportMeteringPoints: 0,
    unreportedExceptions: 0,
  };
  const timings: AggregationTimings = { pages: 0, factsMs: 0, sqlMs: 0, wallMs: 0 };
  let after: string | null = null;
  do {
    const { settlementDayAggregation: page }: { settlementDayAggregation: DayAggregationPage } = await ask(DAY_AGGREGATION_QUERY, {
      settlementDate: day.settlementDate,
      periodMinutes: day.periodMinutes,
      first: pageSize,
      after,
    });
    for (const name of Object.keys(counts) as (keyof typeof counts)[]) counts[name] += page[name];
    for (const volume of page.volumes) {
      const { volume: kwh, actualCount, estimatedCount, ...key } = volume;
      const id = volumeGroupId(key);
      const group = groups.get(id) ?? { key, micro: 0n, actualCount: 0, estimatedCount: 0 };
      group.micro += parseMicroUnits(kwh);
      group.actualCount += actualCount;
      group.estimatedCount += estimatedCount;
      groups.set(id, group);
    }
    exceptions.push(...page.exceptions);
    timings.pages++;
    timings.factsMs += page.factsMilliseconds;
    timings.sqlMs += page.sqlMilliseconds;
    after = page.hasNextPage ? page.endCursor : null;
  } while (after);

  const { volumes, totalVolume } = volumesInOrder(groups);
  timings.wallMs = performance.now() - started;
  return { result: { volumes, exceptions: exceptions.sort(compareExceptions), totalVolume, ...counts }, timings };
}
