/**
 * Business time. Every decision that depends on "now" (is an appointment in force, has a period ended, is a date
 * retrospective) takes its instant from a Clock that is passed in, never from the machine: the suite then passes on
 * any date, and a demo or a support case can be replayed at a pinned instant (CLOCK_AT). This module is the only
 * product code that reads the machine's clock (a test fails on any other read).
 */
export interface Clock {
  /** The business instant now. */
  now(): Date;
}

/** The machine's clock: what `npm start` and production use. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers `instant`: for pinned demos, support cases and tests. */
export function fixedClock(instant: Date | string): Clock {
  const at = parseInstant(instant);
  return { now: () => new Date(at) };
}

/**
 * Machine time in milliseconds, for what is not a business decision: cache expiry, timeouts, durations and the
 * timestamps of log lines. Kept here so that every read of the machine's clock is in one reviewed place.
 */
export function machineTimeMs(): number {
  return Date.now();
}

/** Settings that mean real participants' keys are in use: a pinned business clock is then refused. */
const PRODUCTION_KEY_SETTINGS = [
  'AUTH_JWKS_FILE',
  'AUTH_JWKS_URL',
  'INTERNAL_CONTEXT_PRIVATE_JWK',
  'INTERNAL_CONTEXT_PUBLIC_JWK',
  'INTERNAL_CONTEXT_PRIVATE_JWK_FILE',
  'INTERNAL_CONTEXT_PUBLIC_JWK_FILE',
] as const;

/**
 * The business clock from the environment: the machine's clock, or the instant `CLOCK_AT` pins (an ISO 8601 instant
 * with an offset, such as 2026-10-25T12:00:00Z) for demos and support cases. A pinned clock stands still. It is a
 * dev-only setting: with production keys configured it is refused, so a deployment can never run on a fake date.
 */
export function clockFromEnv(env: Record<string, string | undefined>): Clock {
  const pinned = env.CLOCK_AT?.trim();
  if (!pinned) return systemClock;
  const production = PRODUCTION_KEY_SETTINGS.filter((name) => env[name]?.trim());
  if (production.length > 0) {
    throw new Error(
      `CLOCK_AT pins business time for demos and support cases only; it is refused while production keys are configured (${production.join(', ')})`,
    );
  }
  return fixedClock(pinned);
}

function parseInstant(instant: Date | string): number {
  if (instant instanceof Date) return instant.getTime();
  // An offset is required: a local time would mean different instants on different machines (PRI-014: UTC).
  const at = /(Z|[+-]\d\d:\d\d)$/i.test(instant) ? Date.parse(instant) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new Error(`CLOCK_AT must be an ISO 8601 instant with an offset, such as 2026-10-25T12:00:00Z; got ${JSON.stringify(instant)}`);
  }
  return at;
}
