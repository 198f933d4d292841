import type Redis from 'ioredis';
import type { MessagePublisher } from './outbox-relay';
import type { FeedMessage } from './message-feed';
import { MESSAGE_STREAM_PREFIX, messageStreamKey } from '../../core';

/**
 * The message feed on Redis Streams, for many replicas and high fan-out: one stream per participant (PRI-021) and one
 * per market role (PRI-022), so a reader reads only the streams addressed to it and blocks on them (XREAD BLOCK)
 * instead of polling PostgreSQL. The outbox stays the source of truth; kit/outbox-relay.ts publishes it here.
 */

const streamOf = (prefix: string, recipient: { participant: string } | { role: string }) => messageStreamKey(recipient, prefix);

/** Entries a recipient's stream keeps, about: enough for a reader to catch up after a pause, bounded memory. */
export const STREAM_MAX_ENTRIES = 10_000;

/** Publishes relayed messages, each to the stream of its one recipient, in one round trip. */
export function redisStreamsPublisher(redis: Redis, prefix = MESSAGE_STREAM_PREFIX): MessagePublisher {
  return {
    broker: 'redis-streams',
    async publish(messages) {
      const pipeline = redis.multi();
      for (const message of messages) {
        const recipient = message.recipientParticipant ? { participant: message.recipientParticipant } : { role: message.recipientRole! };
        // Trimmed (approximately, cheap for Redis) to the newest entries: PostgreSQL is the record, a stream the signal.
        pipeline.xadd(streamOf(prefix, recipient), 'MAXLEN', '~', STREAM_MAX_ENTRIES, '*', 'message', JSON.stringify(message));
      }
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('redis: the publish transaction was discarded');
    },
  };
}

/** A reader's position in its two streams (Redis stream ids; '0' = from the start). */
export interface RedisFeedPosition {
  participant: string;
  role: string;
}

/**
 * Reads a participant's messages (its own stream and its acting role's), waiting up to `blockMs` for new ones; returns
 * them with the position to read after.
 */
export async function readRedisFeed(
  redis: Redis,
  reader: { participant: string; role: string },
  after: RedisFeedPosition,
  options: { count?: number; blockMs?: number; prefix?: string } = {},
): Promise<{ messages: FeedMessage[]; position: RedisFeedPosition }> {
  const prefix = options.prefix ?? MESSAGE_STREAM_PREFIX;
  const streams = [streamOf(prefix, { participant: reader.participant }), streamOf(prefix, { role: reader.role })];
  const answer = await redis.xread(
    'COUNT',
    options.count ?? 100,
    'BLOCK',
    options.blockMs ?? 0,
    'STREAMS',
    ...streams,
    after.participant,
    after.role,
  );
  const position = { ...after };
  const messages: FeedMessage[] = [];
  for (const [stream, entries] of answer ?? []) {
    for (const [id, fields] of entries) {
      const parsed = JSON.parse(fields[fields.indexOf('message') + 1]) as FeedMessage & { createdAt: string };
      messages.push({ ...parsed, createdAt: new Date(parsed.createdAt) });
      if (stream === streams[0]) position.participant = id;
      else position.role = id;
    }
  }
  return { messages, position };
}
