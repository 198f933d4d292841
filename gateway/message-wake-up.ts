import Redis from 'ioredis';
import { messageStreamKey } from '../core';

/**
 * What an open message stream waits on between two reads of `messages`: a timer (MESSAGE_STREAM_POLL_MS), or, with
 * MESSAGE_FEED_REDIS_URL, the caller's own two Redis streams (its participant's and its acting role's, filled by the
 * subgraphs' outbox relay), so a new message wakes it at once and an idle stream costs the subgraphs nothing. Redis is
 * only the signal: the messages are still read through `messages`, with its access rules, cursors and acknowledgement.
 */
export interface MessageWaker {
  /** Remembers where the caller's streams end now: anything relayed later wakes the next `wait`. Call before reading. */
  mark(): Promise<void>;
  /** Resolves when a message arrived after the mark (the mark moves past it), after `ms`, or when stopped. */
  wait(ms: number): Promise<void>;
  stop(): void;
}

/** A waker on a timer only: what every stream uses without Redis. */
export function timerWaker(): MessageWaker {
  let stopped = false;
  let wake: () => void = () => undefined;
  return {
    mark: async () => undefined,
    wait: (ms) =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    stop: () => {
      stopped = true;
      wake();
    },
  };
}

/**
 * Wakers on Redis Streams, one blocking connection per open stream (XREAD BLOCK holds its connection). A Redis that
 * does not answer costs a stream its wake-up signal, never a message: `wait` then sleeps the poll interval.
 */
export function redisWakers(url: string): { waker(reader: { participant: string; role: string }): MessageWaker; close(): void } {
  const base = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  base.on('error', () => undefined);
  return {
    close: () => base.disconnect(),
    waker(reader) {
      const keys = [messageStreamKey({ participant: reader.participant }), messageStreamKey({ role: reader.role })];
      const ends = ['0-0', '0-0'];
      const fallback = timerWaker();
      let connection: Redis | undefined;
      let stopped = false;
      const blocking = () => {
        if (!connection) {
          connection = base.duplicate();
          connection.on('error', () => undefined);
        }
        return connection;
      };
      return {
        async mark() {
          try {
            const last = await Promise.all(keys.map((key) => blocking().xrevrange(key, '+', '-', 'COUNT', 1)));
            last.forEach((entries, i) => (ends[i] = entries[0]?.[0] ?? '0-0'));
          } catch {
            // No mark: the next wait finds what is there and wakes, at worst once too often.
          }
        },
        async wait(ms) {
          if (stopped) return;
          try {
            const answer = await blocking().xread('COUNT', 100, 'BLOCK', ms, 'STREAMS', ...keys, ...ends);
            for (const [key, entries] of answer ?? []) ends[keys.indexOf(key)] = entries[entries.length - 1][0];
          } catch {
            if (!stopped) await fallback.wait(ms);
          }
        },
        stop() {
          stopped = true;
          fallback.stop();
          // Ends a blocked XREAD at once.
          connection?.disconnect();
        },
      };
    },
  };
}
