/**
 * The pure part of the Market-wide Data Service's job: turning each metering point's registration facts and interval
 * data for one settlement day into aggregated volumes (per settlement period, supplier, GSP group, BM unit and market
 * segment) and exceptions. No I/O and no floats: kWh values are summed as integer micro-kWh in BigInt, so the totals
 * are exact (core/decimal.ts).
 */
import { formatMicroUnits, parseMicroUnits } from '../core';

export type MarketSegment = 'SMART' | 'ADVANCED' | 'UNMETERED';
export type EnergisationStatus = 'ENERGISED' | 'DE_ENERGISED';
export type ExceptionType = 'MISSING_DATA' | 'DATA_FOR_DE_ENERGISED' | 'DATA_SERVICE_NOT_APPOINTED';

/** The periods of one settlement day, in order, as the settlement calendar gives them. */
export interface AggregationDay {
  settlementDate: string;
  periodMinutes: number;
  /** UTC starts of the day's periods ("2026-10-24T23:00:00.000Z"), period 1 first. */
  periodStarts: readonly string[];
}

/** Registration facts of a metering point in force on one UTC day (registration data is effective-dated by UTC day). */
export interface RegistrationFacts {
  supplierId: string | null;
  gspGroupId: string | null;
  marketSegment: MarketSegment | null;
  energisationStatus: EnergisationStatus | null;
  bmUnitId: string | null;
  /** The data service appointed then; null when none is. */
  dataServiceId: string | null;
}

/** One current interval as the metering-data subgraph returns it. */
export interface IntervalData {
  utcStart: string;
  /** kWh as an exact decimal string, at most 6 decimal places. */
  value: string;
  quality: 'ACTUAL' | 'ESTIMATED' | 'DEEMED' | 'UMS_CALCULATED';
  dataServiceId: string;
}

/** Everything the job read about one metering point for the day. */
export interface MeteringPointDay {
  mpanCore: string;
  /** Facts by UTC day ("YYYY-MM-DD"), for every UTC day the settlement day touches. */
  factsByUtcDay: Readonly<Record<string, RegistrationFacts>>;
  intervals: readonly IntervalData[];
}

export interface AggregatedVolume {
  utcStart: string;
  supplierId: string;
  gspGroupId: string;
  bmUnitId: string;
  marketSegment: MarketSegment;
  /** kWh, exact decimal string without trailing zeros. */
  volume: string;
  mpanCount: number;
  actualCount: number;
  estimatedCount: number;
}

export interface AggregationException {
  mpanCore: string;
  utcStart: string;
  exceptionType: ExceptionType;
  supplierId: string;
  dataServiceId: string;
  detail: string;
}

export interface AggregationResult {
  volumes: AggregatedVolume[];
  exceptions: AggregationException[];
  /** Sum of every volume, kWh, exact. */
  totalVolume: string;
  meteringPoints: number;
  intervals: number;
  /** Intervals left out of the volumes because no supplier, GSP group, segment or BM unit was in force for them. */
  unattributedIntervals: number;
  /** Exceptions that could not be reported because no supplier or data service was in force to report them to. */
  unreportedExceptions: number;
}

/** Estimated and deemed values are not measured; actual and calculated unmetered values are. */
const isEstimated = (quality: IntervalData['quality']) => quality === 'ESTIMATED' || quality === 'DEEMED';

interface VolumeGroup {
  key: Omit<AggregatedVolume, 'volume' | 'mpanCount' | 'actualCount' | 'estimatedCount'>;
  micro: bigint;
  actualCount: number;
  estimatedCount: number;
}

/**
 * Accumulates one settlement day's aggregation metering point by metering point, so memory grows with the number of
 * groups, not of metering points; `result()` gives the volumes and exceptions in a stable order.
 */
export class SettlementAggregation {
  private readonly periodNumbers: ReadonlyMap<string, number>;
  private readonly groups = new Map<string, VolumeGroup>();
  private readonly exceptions: AggregationException[] = [];
  private meteringPoints = 0;
  private intervals = 0;
  private unattributedIntervals = 0;
  private unreportedExceptions = 0;

  constructor(private readonly day: AggregationDay) {
    this.periodNumbers = new Map(day.periodStarts.map((start, index) => [start, index + 1]));
  }

  /** Adds one metering point's day: its intervals to the volumes, and the exceptions they show. */
  addMeteringPoint(point: MeteringPointDay): void {
    this.meteringPoints++;
    const factsAt = (utcStart: string) => point.factsByUtcDay[utcStart.slice(0, 10)];
    // One current interval per period; a period outside the day (or a repeat) is not this day's data.
    const byStart = new Map<string, IntervalData>();
    for (const interval of point.intervals) {
      if (this.periodNumbers.has(interval.utcStart) && !byStart.has(interval.utcStart)) byStart.set(interval.utcStart, interval);
    }

    const deEnergisedWithData: IntervalData[] = [];
    const fromOtherService: IntervalData[] = [];
    for (const [utcStart, interval] of byStart) {
      this.intervals++;
      const facts = factsAt(utcStart);
      if (facts?.energisationStatus === 'DE_ENERGISED' && parseMicroUnits(interval.value) !== 0n) deEnergisedWithData.push(interval);
      if (facts?.dataServiceId && facts.dataServiceId !== interval.dataServiceId) fromOtherService.push(interval);
      if (!facts?.supplierId || !facts.gspGroupId || !facts.marketSegment || !facts.bmUnitId) {
        this.unattributedIntervals++;
        continue;
      }
      this.addToGroup(
        {
          utcStart,
          supplierId: facts.supplierId,
          gspGroupId: facts.gspGroupId,
          bmUnitId: facts.bmUnitId,
          marketSegment: facts.marketSegment,
        },
        interval,
      );
    }

    // Missing data is an exception only where a supplier is registered and the metering point is energised.
    for (const utcStart of this.day.periodStarts) {
      const facts = factsAt(utcStart);
      if (byStart.has(utcStart) || !facts?.supplierId || facts.energisationStatus !== 'ENERGISED') continue;
      this.report(
        point.mpanCore,
        utcStart,
        'MISSING_DATA',
        facts.supplierId,
        facts.dataServiceId,
        `No data received for settlement period ${this.periodNumbers.get(utcStart)}`,
      );
    }
    // One exception per metering point and day for the others: the data service needs to know, not to be flooded.
    const firstDeEnergised = deEnergisedWithData[0];
    if (firstDeEnergised) {
      const facts = factsAt(firstDeEnergised.utcStart);
      this.report(
        point.mpanCore,
        firstDeEnergised.utcStart,
        'DATA_FOR_DE_ENERGISED',
        facts.supplierId,
        firstDeEnergised.dataServiceId,
        `Non-zero consumption in ${deEnergisedWithData.length} of ${this.day.periodStarts.length} settlement periods for a de-energised MPAN: accepted and flagged (PRI-013)`,
      );
    }
    const firstForeign = fromOtherService[0];
    if (firstForeign) {
      const facts = factsAt(firstForeign.utcStart);
      this.report(
        point.mpanCore,
        firstForeign.utcStart,
        'DATA_SERVICE_NOT_APPOINTED',
        facts.supplierId,
        firstForeign.dataServiceId,
        `Data for ${fromOtherService.length} settlement periods came from ${firstForeign.dataServiceId}, but ${facts.dataServiceId} is the appointed data service`,
      );
    }
  }

  /** The volumes by period, supplier, GSP group, BM unit and segment, and the exceptions by period and MPAN. */
  result(): AggregationResult {
    const sorted = [...this.groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let total = 0n;
    const volumes = sorted.map(([, group]) => {
      total += group.micro;
      return {
        ...group.key,
        volume: formatMicroUnits(group.micro),
        mpanCount: group.actualCount + group.estimatedCount,
        actualCount: group.actualCount,
        estimatedCount: group.estimatedCount,
      };
    });
    const exceptions = [...this.exceptions].sort(
      (a, b) => compare(a.utcStart, b.utcStart) || compare(a.mpanCore, b.mpanCore) || compare(a.exceptionType, b.exceptionType),
    );
    return {
      volumes,
      exceptions,
      totalVolume: formatMicroUnits(total),
      meteringPoints: this.meteringPoints,
      intervals: this.intervals,
      unattributedIntervals: this.unattributedIntervals,
      unreportedExceptions: this.unreportedExceptions,
    };
  }

  private addToGroup(key: VolumeGroup['key'], interval: IntervalData): void {
    // The key's parts never contain "|" (ISO instants, MPIDs, GSP group and BM unit ids, enum values).
    const id = [key.utcStart, key.supplierId, key.gspGroupId, key.bmUnitId, key.marketSegment].join('|');
    let group = this.groups.get(id);
    if (!group) {
      group = { key, micro: 0n, actualCount: 0, estimatedCount: 0 };
      this.groups.set(id, group);
    }
    group.micro += parseMicroUnits(interval.value);
    if (isEstimated(interval.quality)) group.estimatedCount++;
    else group.actualCount++;
  }

  private report(
    mpanCore: string,
    utcStart: string,
    exceptionType: ExceptionType,
    supplierId: string | null,
    dataServiceId: string | null,
    detail: string,
  ): void {
    // An exception goes to a supplier (as a count) and a data service (in detail, PRI-009): without both, nobody can act.
    if (!supplierId || !dataServiceId) {
      this.unreportedExceptions++;
      return;
    }
    this.exceptions.push({ mpanCore, utcStart, exceptionType, supplierId, dataServiceId, detail });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
