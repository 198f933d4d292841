import type { Database } from '../kit/db';
import type { AggregatedVolumeRow, SettlementExceptionRow } from './rows';
import { badUserInput, Reason } from '../../core';
import { settlementDay, settlementPeriodOf, type SettlementDay } from './settlement-calendar';
import { usingCalendar } from './calendar-errors';
import * as store from './store';
import { writeMessages, type OutgoingMessage } from '../kit/outbox';

// The Market-wide Data Service's submission of one settlement run. Everything is checked before anything is written;
// then the run's previous results are replaced in one transaction, so a rerun never duplicates and a refusal changes
// nothing.

type VolumeInput = Omit<AggregatedVolumeRow, 'runId'>;
type ExceptionInput = Omit<SettlementExceptionRow, 'id' | 'runId'>;

export interface AggregationSubmission {
  settlementDate: string;
  runType: string;
  periodMinutes: number;
  volumes: VolumeInput[];
  exceptions: ExceptionInput[];
}

/** Runs are named by what makes them unique: one run per settlement date and run type. */
export function runIdOf(settlementDate: string, runType: string): string {
  return `RUN-${settlementDate}-${runType}`;
}

/**
 * Validates a submission and stores it as the run of its settlement date and run type, replacing that run's earlier
 * volumes and exceptions; returns the run.
 */
export async function submitAggregation(db: Database, submission: AggregationSubmission, now: Date): Promise<store.SettlementRun> {
  const day = usingCalendar(() => settlementDay(submission.settlementDate, submission.periodMinutes));
  submission.volumes.forEach((volume, index) => checkPeriodStart(day, volume.utcStart, `volumes[${index}].utcStart`));
  submission.exceptions.forEach((exception, index) => checkPeriodStart(day, exception.utcStart, `exceptions[${index}].utcStart`));
  checkCountsAndKeys(submission.volumes);

  return db.transaction(async (tx) => {
    checkBmUnits(submission.volumes, await store.findBmUnits(tx, [...new Set(submission.volumes.map((v) => v.bmUnitId))]));
    const run = await store.upsertCompletedRun(
      tx,
      {
        id: runIdOf(submission.settlementDate, submission.runType),
        settlementDate: submission.settlementDate,
        runType: submission.runType,
        periodMinutes: submission.periodMinutes,
      },
      now,
    );
    const before = run.rerun ? await store.findSupplierVolumeDigests(tx, run.id) : new Map<string, string>();
    await store.deleteRunResults(tx, run.id);
    await store.insertAggregatedVolumes(
      tx,
      submission.volumes.map((volume) => ({ ...volume, runId: run.id })),
    );
    // Exception ids only need to be unique within the run, which each submission replaces whole.
    await store.insertSettlementExceptions(
      tx,
      submission.exceptions.map((exception, index) => ({ ...exception, id: `${run.id}-E${index + 1}`, runId: run.id })),
    );
    if (run.rerun) {
      const after = await store.findSupplierVolumeDigests(tx, run.id);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((supplier) => before.get(supplier) !== after.get(supplier));
      await writeMessages(
        tx,
        'settlement',
        changed.sort().map((supplier) => volumesChanged(run, supplier)),
        now,
      );
    }
    const { rerun: _rerun, ...stored } = run;
    return stored;
  });
}

/**
 * A rerun that changed a supplier's aggregated volumes: the supplier is told (PRI-021), so it reads the run again;
 * suppliers whose volumes the rerun left as they were are not (PRI-023).
 */
function volumesChanged(run: store.SettlementRun, supplierId: string): OutgoingMessage {
  return {
    type: 'SETTLEMENT_VOLUMES_CHANGED',
    recipient: { participant: supplierId },
    payload: { runId: run.id, settlementDate: run.settlementDate, runType: run.runType },
    principle: 'PRI-021',
  };
}

/**
 * Refuses a start that is not a period boundary (PRI-015) or not in the settlement day (PRI-014: the data is in UTC,
 * and only this calendar turns it into settlement dates).
 */
function checkPeriodStart(day: SettlementDay, utcStart: Date, field: string): void {
  const periodMs = day.periodMinutes * 60_000;
  const ms = utcStart.getTime();
  // Checked by arithmetic first, since a run has many rows; the calendar explains a refusal.
  if (ms % periodMs !== 0) usingCalendar(() => settlementPeriodOf(utcStart, day.periodMinutes), field);
  if (ms < day.utcStart.getTime() || ms >= day.utcEnd.getTime()) {
    const period = settlementPeriodOf(utcStart, day.periodMinutes);
    throw badUserInput(
      Reason.PERIOD_NOT_IN_SETTLEMENT_DATE,
      `${field}: ${utcStart.toISOString()} starts period ${period.settlementPeriod} of settlement date ${period.settlementDate}, not of ` +
        `${day.settlementDate} (PRI-014); ${day.settlementDate} runs from ${day.utcStart.toISOString()} to ${day.utcEnd.toISOString()} (UTC) ` +
        `in ${day.periodCount} periods of ${day.periodMinutes} minutes`,
    );
  }
}

function checkCountsAndKeys(volumes: readonly VolumeInput[]): void {
  const seen = new Map<string, number>();
  volumes.forEach((volume, index) => {
    const { mpanCount, actualCount, estimatedCount } = volume;
    if (mpanCount < 0 || actualCount < 0 || estimatedCount < 0 || actualCount + estimatedCount !== mpanCount) {
      throw badUserInput(
        Reason.INVALID_COUNTS,
        `volumes[${index}]: counts must be zero or more with actualCount + estimatedCount = mpanCount (one interval per MPAN and ` +
          `period); got mpanCount ${mpanCount}, actualCount ${actualCount}, estimatedCount ${estimatedCount}`,
      );
    }
    const key = [volume.utcStart.toISOString(), volume.supplierId, volume.gspGroupId, volume.bmUnitId, volume.marketSegment].join(' ');
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw badUserInput(
        Reason.DUPLICATE_VOLUME,
        `volumes[${index}] repeats volumes[${earlier}] (${key}); send one volume per settlement period, supplier, GSP group, BM unit and segment`,
      );
    }
    seen.set(key, index);
  });
}

function checkBmUnits(volumes: readonly VolumeInput[], bmUnits: readonly store.BmUnit[]): void {
  const byId = new Map(bmUnits.map((unit) => [unit.id, unit]));
  volumes.forEach((volume, index) => {
    const unit = byId.get(volume.bmUnitId);
    if (!unit) {
      throw badUserInput(
        Reason.UNKNOWN_BM_UNIT,
        `volumes[${index}].bmUnitId: no BM unit "${volume.bmUnitId}" is registered; give the id of a registered BM unit (Query.bmUnits)`,
      );
    }
    if (unit.gspGroupId !== volume.gspGroupId) {
      throw badUserInput(
        Reason.BM_UNIT_NOT_IN_GSP_GROUP,
        `volumes[${index}].bmUnitId: BM unit ${unit.id} is in GSP group ${unit.gspGroupId}, not ${volume.gspGroupId}; give a BM unit of the volume's GSP group`,
      );
    }
  });
}
