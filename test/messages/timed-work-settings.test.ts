import { fixedClock } from '../../core';
import { DEFAULT_RELAY_MS, DEFAULT_SWEEP_MS, timedWorkFromEnv } from '../../subgraphs/kit/timed-work';

// The timed work's settings (README "Environment"): defaults when unset, a bad value refused at start-up in one line.

const clock = fixedClock('2026-11-27T12:00:00Z');

it('defaults to a sweep a minute, a relay round every 100 ms and no Redis', () => {
  expect(timedWorkFromEnv({}, clock)).toEqual({ clock, sweepMs: DEFAULT_SWEEP_MS, relayMs: DEFAULT_RELAY_MS });
  expect([DEFAULT_SWEEP_MS, DEFAULT_RELAY_MS]).toEqual([60_000, 100]);
});

it('reads SWEEP_INTERVAL_MS, MESSAGE_FEED_RELAY_MS and MESSAGE_FEED_REDIS_URL', () => {
  expect(
    timedWorkFromEnv({ SWEEP_INTERVAL_MS: '5000', MESSAGE_FEED_RELAY_MS: '50', MESSAGE_FEED_REDIS_URL: ' redis://cache:6379 ' }, clock),
  ).toEqual({ clock, sweepMs: 5000, relayMs: 50, messageFeedRedisUrl: 'redis://cache:6379' });
});

it.each([
  ['SWEEP_INTERVAL_MS', '10'],
  ['SWEEP_INTERVAL_MS', '1.5'],
  ['MESSAGE_FEED_RELAY_MS', 'soon'],
  ['MESSAGE_FEED_RELAY_MS', '600000'],
])('refuses %s=%s with the range it takes', (name, value) => {
  expect(() => timedWorkFromEnv({ [name]: value }, clock)).toThrow(
    expect.objectContaining({ name: 'StartupError', message: expect.stringContaining(`${name} must be a whole number of milliseconds`) }),
  );
});
