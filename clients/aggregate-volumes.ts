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
  /** IMPORT or EXPORT; settlement aggregates import only (export data is refused at submission, PRI-019). */
  energyDirection?: 'IMPORT' | 'EXPORT' | null;
  bmUnitId: string | null;
  /** The data service appointed then; null when none is. */
  dataServiceId: string | null;
}

/** One current interval as the metering-data subgraph returns it. */
export interface IntervalData {
  utcStart: string;
  /** Length of the interval in minutes, 15 or 30 (PRI-015). */
  periodMinutes: number;
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
  /**
   * Intervals left out because they are longer than the run's periods (30-minute data in a 15-minute run: it is not
   * split, PRI-015) or start outside the day; each such period is reported as MISSING_DATA with the reason.
   */
  unsettledIntervals: number;
  /** Metering points read that were export ones on a day of the run: not settled, and not reported as missing data. */
  exportMeteringPoints: number;
  /** Exceptions that could not be reported because no supplier or data service was in force to report them to. */
  unreportedExceptions: number;
}

/** Estimated and deemed values are not measured; actual and calculated unmetered values are. */
const isEstimated = (quality: IntervalData['quality']) => quality === 'ESTIMATED' || quality === 'DEEMED';

/** What one metering point has in one period of the run. */
interface PeriodData {
  /** Intervals no longer than the period that start in it. */
  intervals: IntervalData[];
  /** Minutes they cover. */
  minutes: number;
  /** Their energy, micro-kWh. */
  micro: bigint;
  /** Intervals starting in it that are longer than the period, left out (PRI-015). */
  tooLong: IntervalData[];
}

/** One volume row being summed: its key, its energy in micro-kWh and its metering-point counts. */
export interface VolumeGroup {
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
  private unsettledIntervals = 0;
  private exportMeteringPoints = 0;
  private unreportedExceptions = 0;

  constructor(private readonly day: AggregationDay) {
    this.periodNumbers = new Map(day.periodStarts.map((start, index) => [start, index + 1]));
  }

  /**
   * Adds one metering point's day: its intervals to the volumes, and the exceptions they show, one per MPAN and period
   * (PRI-009). Each interval counts in the period it starts in, so 15-minute data rolls up into a 30-minute run; a
   * period is complete when its intervals cover all of it, as `missingPeriods` says (PRI-015). Nothing is left out
   * without being counted or reported.
   */
  addMeteringPoint(point: MeteringPointDay): void {
    this.meteringPoints++;
    const factsAt = (utcStart: string) => point.factsByUtcDay[utcStart.slice(0, 10)];
    const periods = this.periodsOf(point.intervals);
    if (this.day.periodStarts.some((start) => factsAt(start)?.energyDirection === 'EXPORT')) this.exportMeteringPoints++;

    for (const [utcStart, period] of periods) {
      const facts = factsAt(utcStart);
      const number = this.periodNumbers.get(utcStart);
      if (period.intervals.length > 0) {
        if (facts?.energisationStatus === 'DE_ENERGISED' && period.micro !== 0n) {
          const first = period.intervals[0];
          this.report(
            point.mpanCore,
            utcStart,
            'DATA_FOR_DE_ENERGISED',
            facts.supplierId,
            first.dataServiceId,
            `Non-zero consumption (${formatMicroUnits(period.micro)} kWh) in settlement period ${number} for a de-energised MPAN: accepted and flagged (PRI-013)`,
          );
        }
        const foreign = period.intervals.find((i) => facts?.dataServiceId && facts.dataServiceId !== i.dataServiceId);
        if (foreign && facts) {
          this.report(
            point.mpanCore,
            utcStart,
            'DATA_SERVICE_NOT_APPOINTED',
            facts.supplierId,
            foreign.dataServiceId,
            `Data for settlement period ${number} came from ${foreign.dataServiceId}, but ${facts.dataServiceId} is the appointed data service`,
          );
        }
        if (!facts?.supplierId || !facts.gspGroupId || !facts.marketSegment || !facts.bmUnitId) {
          this.unattributedIntervals += period.intervals.length;
        } else {
          const key = {
            utcStart,
            supplierId: facts.supplierId,
            gspGroupId: facts.gspGroupId,
            bmUnitId: facts.bmUnitId,
            marketSegment: facts.marketSegment,
          };
          this.addToGroup(
            key,
            period.micro,
            period.intervals.some((i) => isEstimated(i.quality)),
          );
        }
      }
      // Missing data is an exception only where a supplier is registered and an import metering point is energised.
      const complete = period.minutes === this.day.periodMinutes;
      if (complete || !facts?.supplierId || facts.energisationStatus !== 'ENERGISED' || facts.energyDirection === 'EXPORT') continue;
      this.report(point.mpanCore, utcStart, 'MISSING_DATA', facts.supplierId, facts.dataServiceId, this.missingDetail(number!, period));
    }
  }

  /**
   * The day's current intervals by the period they start in, every period of the day present. An interval longer than
   * the run's period, or starting outside the day, is counted in `unsettledIntervals` and noted on its period.
   */
  private periodsOf(intervals: readonly IntervalData[]): Map<string, PeriodData> {
    const periods = new Map<string, PeriodData>(
      this.day.periodStarts.map((start) => [start, { intervals: [], minutes: 0, micro: 0n, tooLong: [] }]),
    );
    const dayStart = Date.parse(this.day.periodStarts[0]);
    const length = this.day.periodMinutes * 60_000;
    for (const interval of intervals) {
      this.intervals++;
      const start = this.day.periodStarts[Math.floor((Date.parse(interval.utcStart) - dayStart) / length)];
      const period = start === undefined ? undefined : periods.get(start);
      if (!period || interval.periodMinutes > this.day.periodMinutes) {
        this.unsettledIntervals++;
        period?.tooLong.push(interval);
        continue;
      }
      period.intervals.push(interval);
      period.minutes += interval.periodMinutes;
      period.micro += parseMicroUnits(interval.value);
    }
    return periods;
  }

  private missingDetail(number: number, period: PeriodData): string {
    const length = this.day.periodMinutes;
    if (period.tooLong.length > 0) {
      return `${period.tooLong[0].periodMinutes}-minute data received for settlement period ${number}; a ${length}-minute run needs data of at most ${length} minutes and does not split it (PRI-015)`;
    }
    if (period.minutes > 0) {
      return `Data for ${period.minutes} of the ${length} minutes of settlement period ${number}: part of the period is missing (PRI-015); the data received is in the volume`;
    }
    return `No data received for settlement period ${number}`;
  }

  /** The volumes by period, supplier, GSP group, BM unit and segment, and the exceptions by period and MPAN. */
  result(): AggregationResult {
    const { volumes, totalVolume } = volumesInOrder(this.groups);
    const exceptions = [...this.exceptions].sort(compareExceptions);
    return {
      volumes,
      exceptions,
      totalVolume,
      meteringPoints: this.meteringPoints,
      intervals: this.intervals,
      unattributedIntervals: this.unattributedIntervals,
      unsettledIntervals: this.unsettledIntervals,
      exportMeteringPoints: this.exportMeteringPoints,
      unreportedExceptions: this.unreportedExceptions,
    };
  }

  /** Adds one MPAN's period: its energy, and one count, estimated when any of its intervals is (PRI-005). */
  private addToGroup(key: VolumeGroup['key'], micro: bigint, estimated: boolean): void {
    const id = volumeGroupId(key);
    let group = this.groups.get(id);
    if (!group) {
      group = { key, micro: 0n, actualCount: 0, estimatedCount: 0 };
      this.groups.set(id, group);
    }
    group.micro += micro;
    if (estimated) group.estimatedCount++;
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

/** A volume group's identity; volumes are listed in its order. */
export function volumeGroupId(
  key: Pick<AggregatedVolume, 'utcStart' | 'supplierId' | 'gspGroupId' | 'bmUnitId' | 'marketSegment'>,
): string {
  // The key's parts never contain "|" (ISO instants, MPIDs, GSP group and BM unit ids, enum values).
  return [key.utcStart, key.supplierId, key.gspGroupId, key.bmUnitId, key.marketSegment].join('|');
}

/** Exceptions are listed by period start, then MPAN core, then type. */
export function compareExceptions(a: AggregationException, b: AggregationException): number {
  return compare(a.utcStart, b.utcStart) || compare(a.mpanCore, b.mpanCore) || compare(a.exceptionType, b.exceptionType);
}

/** The summed groups as volume rows in a stable order (by group id), with the day's total: one rule for both methods. */
export function volumesInOrder(groups: Map<string, VolumeGroup>): { volumes: AggregatedVolume[]; totalVolume: string } {
  let total = 0n;
  const volumes = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => {
      total += group.micro;
      return {
        ...group.key,
        volume: formatMicroUnits(group.micro),
        mpanCount: group.actualCount + group.estimatedCount,
        actualCount: group.actualCount,
        estimatedCount: group.estimatedCount,
      };
    });
  return { volumes, totalVolume: formatMicroUnits(total) };
}
