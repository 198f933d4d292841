import type { Clock } from '../../core';

/**
 * The business instant the suite runs at unless a test sets another, and the instant the demo template is seeded at:
 * no test depends on the machine's date (`faketime '2027-06-01 12:00:00' npm test` passes).
 */
export const TEST_NOW = new Date('2026-11-27T12:00:00.000Z');

/** A business clock a test moves by hand. */
export interface TestClock extends Clock {
  set(instant: Date | string): void;
  /** Moves the clock forward (or back, when negative) by `ms`. */
  advance(ms: number): void;
  /** The UTC day of the clock's instant, "YYYY-MM-DD", `offsetDays` later. */
  utcDay(offsetDays?: number): string;
}

export const DAY_MS = 86_400_000;

/** A clock standing at `start` (default TEST_NOW) until the test moves it. */
export function testClock(start: Date | string = TEST_NOW): TestClock {
  let at = new Date(start).getTime();
  return {
    now: () => new Date(at),
    set: (instant) => {
      at = new Date(instant).getTime();
    },
    advance: (ms) => {
      at += ms;
    },
    utcDay: (offsetDays = 0) => new Date(at + offsetDays * DAY_MS).toISOString().slice(0, 10),
  };
}
