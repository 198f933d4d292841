import type { SubmittedInterval } from './store';
import { Reason, SETTLEMENT_PERIOD_MINUTES, utcDateOf, isDataServiceRole, type DataServiceRole, type InternalContext } from '../../core';
import { dayInScope, DayRange } from '../kit/scope';
import { standingDataOn, StandingDataVersion } from './registration-facts';

// The rules a submission is checked against, as pure functions of the submission and the facts read for it, so each
// rule can be tested on its own. A check returns the rejection (reason code and message) or null.

/** Settlement period lengths the data accepts (PRI-015), shared with the settlement calendar. */
export const PERIOD_MINUTES_ALLOWED = SETTLEMENT_PERIOD_MINUTES;
export const SHORTEST_PERIOD_MINUTES = Math.min(...PERIOD_MINUTES_ALLOWED);

/** The market segment each data service role serves (DOMAIN.md: the segment must fit the role). */
export const SEGMENT_OF_DATA_SERVICE: Readonly<Record<DataServiceRole, StandingDataVersion['marketSegment']>> = {
  SMART_DATA_SERVICE: 'SMART',
  ADVANCED_DATA_SERVICE: 'ADVANCED',
  UNMETERED_DATA_SERVICE: 'UNMETERED',
};

/** Reactive energy is measured for the Advanced segment only (DOMAIN.md "Consumption and reads"). */
const REACTIVE_QUANTITIES: ReadonlySet<string> = new Set(['REACTIVE_IMPORT', 'REACTIVE_EXPORT']);

/**
 * The active quantity each energy direction's registers record (PRI-019): an import metering point has no export
 * register and an export one no import register, so the other active quantity cannot have been measured there.
 */
export const ACTIVE_QUANTITY_OF_DIRECTION: Readonly<Record<StandingDataVersion['energyDirection'], string>> = {
  IMPORT: 'ACTIVE_IMPORT',
  EXPORT: 'ACTIVE_EXPORT',
};

/**
 * How data may be derived in each segment (PRI-019, PRI-005): a metered supply is measured, estimated or deemed; an
 * unmetered supply has no meter, so its data is calculated from its inventory (UMS_CALCULATED) or estimated.
 */
export const DERIVATIONS_OF_SEGMENT: Readonly<Record<StandingDataVersion['marketSegment'], readonly string[]>> = {
  SMART: ['ACTUAL', 'ESTIMATED', 'DEEMED'],
  ADVANCED: ['ACTUAL', 'ESTIMATED', 'DEEMED'],
  UNMETERED: ['UMS_CALCULATED', 'ESTIMATED'],
};

export interface Rejection {
  reason: Reason;
  message: string;
}

/** One interval as the caller sent it (scalars already parsed: the MPAN core, instant and decimal are well formed). */
export type IntervalInput = Omit<SubmittedInterval, 'deEnergisedFlag' | 'estimationMethod'> & { estimationMethod?: string | null };

const MINUTE = 60_000;

/** Why `periodMinutes` is not a settlement period length, or null (PRI-015). */
export function periodLengthProblem(periodMinutes: number): Rejection | null {
  if (PERIOD_MINUTES_ALLOWED.includes(periodMinutes)) return null;
  return {
    reason: Reason.INVALID_PERIOD_LENGTH,
    message: `periodMinutes ${periodMinutes} is not a settlement period length; ${PERIOD_MINUTES_ALLOWED.join(' or ')} are accepted (PRI-015)`,
  };
}

/** Why `instant` does not start a period of `periodMinutes`, or null: periods start on whole multiples from UTC midnight. */
export function alignmentProblem(what: string, instant: Date, periodMinutes: number): Rejection | null {
  const length = periodMinutes * MINUTE;
  if (instant.getTime() % length === 0) return null;
  const before = new Date(Math.floor(instant.getTime() / length) * length);
  const after = new Date(before.getTime() + length);
  return {
    reason: Reason.UNALIGNED_PERIOD_START,
    message: `${what} ${instant.toISOString()} is not on a ${periodMinutes}-minute period boundary; periods start every ${periodMinutes} minutes from midnight UTC, such as ${before.toISOString()} or ${after.toISOString()} (PRI-015)`,
  };
}

/** True for "0", "0.000", "-0.0": a decimal string with no non-zero digit. */
export function isZeroDecimal(value: string): boolean {
  return !/[1-9]/.test(value);
}

function isNegativeDecimal(value: string): boolean {
  return value.startsWith('-') && !isZeroDecimal(value);
}

/** The checks an interval must pass on its own, before any registration fact is read. */
export function checkIntervalShape(interval: IntervalInput, now: Date): Rejection | null {
  const period = periodLengthProblem(interval.periodMinutes);
  if (period) return period;
  const aligned = alignmentProblem('utcStart', interval.utcStart, interval.periodMinutes);
  if (aligned) return aligned;
  const end = new Date(interval.utcStart.getTime() + interval.periodMinutes * MINUTE);
  if (end > now) {
    return {
      reason: Reason.IN_THE_FUTURE,
      message: `the period ${interval.utcStart.toISOString()} to ${end.toISOString()} has not ended yet (now ${now.toISOString()}); a period is accepted once it has ended`,
    };
  }
  if (isNegativeDecimal(interval.value)) {
    return {
      reason: Reason.NEGATIVE_VALUE,
      message: `value ${interval.value} is negative; a quantity is zero or positive (import and export are separate quantities)`,
    };
  }
  const method = interval.estimationMethod?.trim() ? interval.estimationMethod : null;
  if (interval.quality === 'ESTIMATED' && !method) {
    return {
      reason: Reason.ESTIMATION_METHOD_REQUIRED,
      message: 'an ESTIMATED value needs its estimationMethod: how the data was derived is stored with it (PRI-005, PRI-008)',
    };
  }
  if (interval.quality !== 'ESTIMATED' && interval.estimationMethod != null) {
    return {
      reason: Reason.ESTIMATION_METHOD_NOT_ALLOWED,
      message: `estimationMethod ${JSON.stringify(interval.estimationMethod)} belongs to ESTIMATED values only; this interval is ${interval.quality}: leave estimationMethod out`,
    };
  }
  return null;
}

/** What registration and the appointments say about one metering point, for the caller. */
export interface MeteringPointFacts {
  /** UTC days of the caller's accepted appointments to it in its role (empty: not appointed, or not registered). */
  scope: readonly DayRange[];
  /** Its standing data history; null when registration does not show it to the caller. */
  standingDataHistory: readonly StandingDataVersion[] | null;
}

/** The interval is accepted, flagged when non-zero while de-energised (PRI-013). */
export interface Accepted {
  deEnergisedFlag: boolean;
}

/**
 * Checks an interval that passed `checkIntervalShape` against the caller's appointments and the registration standing
 * data in force on its UTC day (PRI-019, PRI-018). Non-zero data for a de-energised metering point is accepted and
 * flagged, never rejected (PRI-013).
 */
export function checkIntervalAgainstRegistration(
  interval: IntervalInput,
  caller: InternalContext,
  facts: MeteringPointFacts,
): Rejection | Accepted {
  const day = utcDateOf(interval.utcStart);
  if (!dayInScope(day, facts.scope) || !facts.standingDataHistory) {
    return {
      reason: Reason.NOT_APPOINTED,
      message: `${caller.participant} is not the ${caller.role} appointed to ${interval.mpanCore} on ${day} (UTC), or no such MPAN is registered; data is accepted only for the days of an accepted appointment (PRI-019)`,
    };
  }
  const standing = standingDataOn(facts.standingDataHistory, day);
  if (!standing) {
    return {
      reason: Reason.NO_STANDING_DATA,
      message: `${interval.mpanCore} has no registration standing data in force on ${day}; data is accepted from the first effective date of its standing data (PRI-019)`,
    };
  }
  const segment = isDataServiceRole(caller.role) ? SEGMENT_OF_DATA_SERVICE[caller.role] : undefined;
  if (standing.marketSegment !== segment) {
    return {
      reason: Reason.SEGMENT_MISMATCH,
      message: `${interval.mpanCore} is in the ${standing.marketSegment} segment on ${day}; a ${caller.role} submits data for the ${segment} segment only (PRI-019)`,
    };
  }
  if (REACTIVE_QUANTITIES.has(interval.quantity) && standing.marketSegment !== 'ADVANCED') {
    return {
      reason: Reason.QUANTITY_NOT_FOR_SEGMENT,
      message: `${interval.quantity} is measured in the ADVANCED segment only; ${interval.mpanCore} is ${standing.marketSegment} on ${day}: send ${ACTIVE_QUANTITY_OF_DIRECTION[standing.energyDirection]}`,
    };
  }
  const derivations = DERIVATIONS_OF_SEGMENT[standing.marketSegment];
  if (!derivations.includes(interval.quality)) {
    return {
      reason: Reason.DERIVATION_NOT_FOR_SEGMENT,
      message: `${interval.quality} data is not derived in the ${standing.marketSegment} segment, where ${interval.mpanCore} is on ${day}; it takes ${derivations.join(', ')} (PRI-019, PRI-005)`,
    };
  }
  return directionProblem(interval, standing, day) ?? exportProblem(interval, standing, day) ?? accepted(interval, standing);
}

/** An active quantity the metering point's registers do not record (an import meter has no export register). */
function directionProblem(interval: IntervalInput, standing: StandingDataVersion, day: string): Rejection | null {
  const active = ACTIVE_QUANTITY_OF_DIRECTION[standing.energyDirection];
  if (REACTIVE_QUANTITIES.has(interval.quantity) || interval.quantity === active) return null;
  return {
    reason: Reason.QUANTITY_NOT_FOR_ENERGY_DIRECTION,
    message: `${interval.quantity} is not measured at ${interval.mpanCore}: it is an ${standing.energyDirection} metering point on ${day}, whose registers record ${active} only (PRI-019)`,
  };
}

/**
 * Data of an export metering point: refused, because settlement aggregates import only (the aggregated volumes have
 * no direction), and data settlement would silently leave out must not be taken as if it were settled.
 */
function exportProblem(interval: IntervalInput, standing: StandingDataVersion, day: string): Rejection | null {
  if (standing.energyDirection !== 'EXPORT') return null;
  return {
    reason: Reason.EXPORT_NOT_SETTLED,
    message: `${interval.mpanCore} is an EXPORT metering point on ${day}; export is not settled by this platform yet (settlement aggregates import only), so its data is not accepted (PRI-019)`,
  };
}

function accepted(interval: IntervalInput, standing: StandingDataVersion): Accepted {
  return { deEnergisedFlag: standing.energisationStatus === 'DE_ENERGISED' && !isZeroDecimal(interval.value) };
}

export function isRejection(outcome: Rejection | Accepted): outcome is Rejection {
  return 'reason' in outcome;
}

/** Why a cumulative register reading is not acceptable, or null: not negative, at most 3 decimals, fits the register. */
export function readingValueProblem(value: string, registerDigits: number | null): Rejection | null {
  const [whole, fraction = ''] = value.replace(/^-/, '').split('.');
  const digits = whole.replace(/^0+(?=\d)/, '').length;
  if (isNegativeDecimal(value) || fraction.length > 3 || (registerDigits !== null && digits > registerDigits)) {
    return {
      reason: Reason.INVALID_READING_VALUE,
      message: `value ${value} is not a register reading${registerDigits !== null ? ` of this ${registerDigits}-digit register` : ''}; a reading is zero or positive with at most 3 decimals${registerDigits !== null ? ` and at most ${registerDigits} whole digits` : ''}`,
    };
  }
  return null;
}

/** Why a reading's instant is not acceptable, or null: a meter cannot be read in the future. */
export function readingTimeProblem(readAt: Date, now: Date): Rejection | null {
  if (readAt <= now) return null;
  return {
    reason: Reason.IN_THE_FUTURE,
    message: `readAt ${readAt.toISOString()} is in the future (now ${now.toISOString()}); send a reading once it has been taken`,
  };
}
