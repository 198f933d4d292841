import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import Redis from 'ioredis';
import { ErrorCode } from '../core';
import { positiveInteger } from './limits/limits-config';

/** Requests each participant may send to /graphql per window. */
export interface RateLimitSettings {
  max: number;
  windowMs: number;
  /** Shared counters for every gateway replica (RATE_LIMIT_REDIS_URL); in this process only when absent. */
  redisUrl?: string;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = { max: 6000, windowMs: 60_000 };

/**
 * RATE_LIMIT=on (default) or off; RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW_MS per participant; RATE_LIMIT_REDIS_URL
 * to share the counters between replicas.
 */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitSettings | null {
  const switchValue = env.RATE_LIMIT ?? 'on';
  if (switchValue !== 'on' && switchValue !== 'off') throw new Error(`RATE_LIMIT must be "on" or "off", got "${switchValue}"`);
  if (switchValue === 'off') return null;
  return {
    max: env.RATE_LIMIT_MAX === undefined ? DEFAULT_RATE_LIMIT.max : positiveInteger('RATE_LIMIT_MAX', env.RATE_LIMIT_MAX),
    windowMs:
      env.RATE_LIMIT_WINDOW_MS === undefined
        ? DEFAULT_RATE_LIMIT.windowMs
        : positiveInteger('RATE_LIMIT_WINDOW_MS', env.RATE_LIMIT_WINDOW_MS),
    ...(env.RATE_LIMIT_REDIS_URL?.trim() ? { redisUrl: env.RATE_LIMIT_REDIS_URL.trim() } : {}),
  };
}

/** Thrown by the rate limiter; the gateway's error handler answers it as a GraphQL error (gateway/limits/edge-errors.ts). */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(
    readonly retryAfterSeconds: number,
    readonly limit: number,
  ) {
    super(`Too many requests from this participant: at most ${limit} per window; retry after ${retryAfterSeconds} s`);
  }
}

/**
 * Counts /graphql requests per participant (fixed window: @fastify/rate-limit counts requests in a window that starts
 * with the first one, then resets; not a token bucket) and answers 429 RATE_LIMITED with Retry-After beyond `max`.
 * `participantOf` names the caller from its verified token; requests without one are counted by address (they are
 * refused 401 anyway). With a Redis URL the counters live in Redis, so replicas share them; if Redis cannot be
 * reached a request is let through rather than refused (the limit protects capacity, it does not grant access).
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
    max: settings.max,
    timeWindow: settings.windowMs,
    ...(redis ? { redis, nameSpace: 'mhhs-gateway-rate-limit:', skipOnError: true } : {}),
    allowList: (request) => !request.url.startsWith('/graphql'),
    keyGenerator: async (request) => {
      const participant = await participantOf(request);
      return participant ? `participant:${participant}` : `address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => new RateLimitedError(Math.max(1, Math.ceil(context.ttl / 1000)), context.max),
  });
}
