import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import Redis from 'ioredis';
import { ErrorCode } from '../core';
import { positiveInteger } from './limits/limits-config';
import type { TokenBucketSettings } from './limits/token-bucket';
import { inProcessTokenBucketStore } from './limits/token-bucket-store';
import { redisTokenBucketStore } from './limits/redis-token-bucket-store';

/** A token bucket per participant for /graphql: `capacity` requests at once, `refillPerSecond` sustained. */
export interface RateLimitSettings extends TokenBucketSettings {
  /** One bucket per participant for every gateway replica (RATE_LIMIT_REDIS_URL); in this process only when absent. */
  redisUrl?: string;
  /** Milliseconds of a monotonic clock for the in-process buckets: the process's own unless a test moves time itself. */
  monotonicNow?: () => number;
}

/** 6,000 at once and 100 a second: the old fixed window's 6,000 a minute as a rate, without its doubled burst. */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { capacity: 6000, refillPerSecond: 100 };

/**
 * RATE_LIMIT=on (default) or off; RATE_LIMIT_MAX is the bucket's capacity (the burst), RATE_LIMIT_REFILL_PER_SECOND its
 * refill rate. Without a refill rate, RATE_LIMIT_WINDOW_MS (the fixed window's length before issue 11) gives one:
 * capacity per window. RATE_LIMIT_REDIS_URL shares the buckets between replicas.
 */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitSettings | null {
  const switchValue = env.RATE_LIMIT ?? 'on';
  if (switchValue !== 'on' && switchValue !== 'off') throw new Error(`RATE_LIMIT must be "on" or "off", got "${switchValue}"`);
  if (switchValue === 'off') return null;
  const capacity = env.RATE_LIMIT_MAX === undefined ? DEFAULT_RATE_LIMIT.capacity : positiveInteger('RATE_LIMIT_MAX', env.RATE_LIMIT_MAX);
  let refillPerSecond = DEFAULT_RATE_LIMIT.refillPerSecond;
  if (env.RATE_LIMIT_REFILL_PER_SECOND !== undefined) {
    refillPerSecond = Number(env.RATE_LIMIT_REFILL_PER_SECOND);
    if (!(refillPerSecond > 0) || !Number.isFinite(refillPerSecond)) {
      throw new Error(`RATE_LIMIT_REFILL_PER_SECOND must be a positive number, got "${env.RATE_LIMIT_REFILL_PER_SECOND}"`);
    }
  } else if (env.RATE_LIMIT_WINDOW_MS !== undefined) {
    refillPerSecond = (capacity * 1000) / positiveInteger('RATE_LIMIT_WINDOW_MS', env.RATE_LIMIT_WINDOW_MS);
  }
  return { capacity, refillPerSecond, ...(env.RATE_LIMIT_REDIS_URL?.trim() ? { redisUrl: env.RATE_LIMIT_REDIS_URL.trim() } : {}) };
}

/** Thrown by the rate limiter; the gateway's error handler answers it as a GraphQL error (gateway/limits/edge-errors.ts). */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(
    readonly retryAfterSeconds: number,
    readonly limit: number,
  ) {
    super(`Too many requests from this participant: at most ${limit} at once; retry after ${retryAfterSeconds} s`);
  }
}

/**
 * Limits /graphql requests with a token bucket per participant (gateway/limits/token-bucket.ts) and answers 429
 * RATE_LIMITED with Retry-After (the seconds until one token is there) when the bucket is empty. `participantOf` names
 * the caller from its verified token; requests without one are counted by address (they are refused 401 anyway). With
 * a Redis URL the buckets live in Redis, so replicas share them; if Redis cannot be reached a request is let through
 * rather than refused (the limit protects capacity, it does not grant access).
 */
export async function registerRateLimit(
  app: FastifyInstance,
  settings: RateLimitSettings,
  participantOf: (request: FastifyRequest) => Promise<string | null>,
): Promise<void> {
  const redis = settings.redisUrl
    ? new Redis(settings.redisUrl, { connectTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
    : undefined;
  if (redis) {
    // Connection errors are retried by ioredis; logging each would flood. skipOnError lets requests through meanwhile.
    redis.on('error', () => undefined);
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
  }
  await app.register(rateLimit, {
    global: true,
    // The plugin compares what a store counts with `max`; our stores report a refusal as capacity + 1.
    max: settings.capacity,
    timeWindow: Math.ceil((settings.capacity * 1000) / settings.refillPerSecond),
    store: redis
      ? redisTokenBucketStore(redis, settings, 'mhhs-gateway-token-bucket:')
      : inProcessTokenBucketStore(settings, { now: settings.monotonicNow }),
    skipOnError: true,
    allowList: (request) => !request.url.startsWith('/graphql'),
    keyGenerator: async (request) => {
      const participant = await participantOf(request);
      return participant ? `participant:${participant}` : `address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => new RateLimitedError(Math.max(1, Math.ceil(context.ttl / 1000)), context.max),
  });
}
