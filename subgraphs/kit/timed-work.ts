import { randomUUID } from 'node:crypto';
import type { KeyLike } from 'jose';
import Redis from 'ioredis';
import { StartupError, type Clock, type MarketRole } from '../../core';
import type { Database } from './db';
import { createQuestionSigner } from './question-signer';
import { createResponsibilities, type Responsibilities, type ResponsibilityOwner } from './responsibility';
import { relayOutboxBatch } from './outbox-relay';
import { redisStreamsPublisher } from './redis-streams-feed';

/**
 * Work a subgraph does on its own, not for a request: a sweep of its own tables on the business clock (a change that
 * takes effect on a day must be announced on that day, whether or not anyone asks), and the relay of its outbox to a
 * broker. Each runs at start-up and then every interval, in every replica: the work itself must be idempotent.
 */

/** What a sweep reads and writes with: this subgraph's database, one business instant, and the owners' answers. */
export interface SweepSource {
  db: Database;
  /** The business instant of this run (core/clock.ts): the same for everything it decides. */
  now: Date;
  /** Responsibilities asked of their owners with a signed question as the sweep's `actingAs`. */
  responsibilities: Responsibilities;
}

/** A subgraph's periodic sweep; returns how many changes it made (for the log). */
export interface SubgraphSweep {
  name: string;
  /** Who the sweep's questions to other subgraphs are asked as: the market party whose process step it is. */
  actingAs(): { participant: string; role: MarketRole };
  run(source: SweepSource): Promise<number>;
}

export interface TimedWorkSettings {
  /** Business time of the sweeps (the gateway's clock in one process; CLOCK_AT or the machine's alone). */
  clock: Clock;
  /** SWEEP_INTERVAL_MS: milliseconds between two sweeps (default 60000). */
  sweepMs: number;
  /** MESSAGE_FEED_REDIS_URL: when set, the outbox is relayed to Redis Streams (kit/redis-streams-feed.ts). */
  messageFeedRedisUrl?: string;
  /** MESSAGE_FEED_RELAY_MS: milliseconds between two relay rounds when the outbox was empty (default 100). */
  relayMs: number;
}

export const DEFAULT_SWEEP_MS = 60_000;
/** How long a stop waits for a run in flight. */
const STOP_GRACE_MS = 5000;
export const DEFAULT_RELAY_MS = 100;

function msFromEnv(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < min || ms > max) {
    throw new StartupError(`${name} must be a whole number of milliseconds from ${min} to ${max}, got "${env[name]}"`);
  }
  return ms;
}

/** The timed work's settings from the environment (README "Operating"); `clock` is the process's business clock. */
export function timedWorkFromEnv(env: Record<string, string | undefined>, clock: Clock): TimedWorkSettings {
  const redisUrl = env.MESSAGE_FEED_REDIS_URL?.trim();
  return {
    clock,
    sweepMs: msFromEnv(env, 'SWEEP_INTERVAL_MS', DEFAULT_SWEEP_MS, 50, 86_400_000),
    relayMs: msFromEnv(env, 'MESSAGE_FEED_RELAY_MS', DEFAULT_RELAY_MS, 10, 60_000),
    ...(redisUrl ? { messageFeedRedisUrl: redisUrl } : {}),
  };
}

/**
 * Runs `task` now and then `intervalMs` after each run ends (never two at once), at once again when it says more is
 * waiting; `stop` waits for a run in flight.
 */
function repeat(task: () => Promise<boolean>, intervalMs: number, onError: (error: unknown) => void): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // Reported once per streak of failures (a Redis that is down would otherwise log every relay round).
  let failing = false;
  const tick = () => {
    running = (async () => {
      let more = false;
      try {
        more = await task();
        failing = false;
      } catch (error) {
        if (!stopped && !failing) onError(error);
        failing = true;
      }
      // Unref'd: timed work never keeps a process alive that is otherwise done.
      if (!stopped) timer = setTimeout(tick, more ? 0 : intervalMs).unref();
    })();
  };
  timer = setTimeout(tick, 0).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A run in flight may finish, but never holds up a shutdown for long: each of its changes is one transaction,
      // committed with its message or rolled back when the pool closes, and the next start sweeps again.
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS).unref()))]);
      clearTimeout(grace);
    },
  };
}

export interface TimedWorkOptions {
  subgraph: { name: string; dbSchema: string; sweep?: SubgraphSweep; responsibilityOwner?: ResponsibilityOwner };
  db: Database;
  questionKey: KeyLike;
  /** GraphQL URL of every subgraph by name (read at each run: filled in as they listen). */
  subgraphUrls: Readonly<Record<string, string>>;
  settings: TimedWorkSettings;
  /** Where a failed run is reported (once per streak of failures); the next run retries. */
  log(line: string): void;
}

/** Runs a sweep once at `now`, its questions signed as the party it acts as; returns how many changes it made. */
export function runSweep(
  options: Pick<TimedWorkOptions, 'subgraph' | 'db' | 'questionKey' | 'subgraphUrls'>,
  sweep: SubgraphSweep,
  now: Date,
): Promise<number> {
  const { subgraph, db } = options;
  const caller = { ...sweep.actingAs(), requestId: `sweep-${randomUUID()}`, now };
  const responsibilities = createResponsibilities({
    self: { name: subgraph.name, db, owner: subgraph.responsibilityOwner },
    signQuestion: createQuestionSigner(options.questionKey, caller, subgraph.name),
    requestId: caller.requestId,
    subgraphBaseUrl: (name) => new URL(options.subgraphUrls[name]).origin,
  });
  return sweep.run({ db, now, responsibilities });
}

/** Starts the subgraph's sweep (when it has one) and the outbox relay (when MESSAGE_FEED_REDIS_URL is set). */
export function startTimedWork(options: TimedWorkOptions): { stop(): Promise<void> } {
  const { subgraph, db, settings } = options;
  const stops: (() => Promise<void>)[] = [];
  const sweep = subgraph.sweep;
  if (sweep) {
    const run = async () => {
      await runSweep(options, sweep, settings.clock.now());
      return false;
    };
    const loop = repeat(run, settings.sweepMs, (error) =>
      options.log(`${subgraph.name} sweep ${sweep.name} failed, retried: ${String(error)}`),
    );
    stops.push(loop.stop);
  }
  if (settings.messageFeedRedisUrl) {
    const redis = new Redis(settings.messageFeedRedisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
    // ioredis retries the connection itself; a failed round is logged and the next one retries.
    redis.on('error', () => undefined);
    const publisher = redisStreamsPublisher(redis);
    const batchSize = 500;
    // A full batch means more is waiting: relay again at once rather than after the interval.
    const relay = async () => (await relayOutboxBatch(db, subgraph, publisher, batchSize)) === batchSize;
    const loop = repeat(relay, settings.relayMs, (error) => options.log(`${subgraph.name} outbox relay failed, retried: ${String(error)}`));
    stops.push(async () => {
      await loop.stop();
      redis.disconnect();
    });
  }
  return {
    async stop() {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
