import { performance } from 'node:perf_hooks';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { asRateLimitResult, type Bucket, takeToken, type TokenBucketSettings } from './token-bucket';

/** The callback @fastify/rate-limit passes to a store's `incr`. */
export type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** A store class as @fastify/rate-limit's `store` option takes it (it calls `new Store(options)` itself). */
export type RateLimitStoreClass = FastifyRateLimitStoreCtor;

/** At most this many participants' buckets are kept; the least recently used is forgotten (a full bucket again). */
const DEFAULT_MAX_BUCKETS = 10_000;

/**
 * A token bucket per key in this process, as a @fastify/rate-limit store. Time is the process's monotonic clock (not
 * business time: a rate is about the machine's seconds). Every route shares one bucket per key: the limit is per
 * participant, not per URL.
 */
export function inProcessTokenBucketStore(
  settings: TokenBucketSettings,
  options: { now?: () => number; maxBuckets?: number } = {},
): RateLimitStoreClass {
  const monotonicMs = options.now ?? (() => performance.now());
  const maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
  // Insertion order is recency order: a bucket is re-inserted on every use.
  const buckets = new Map<string, Bucket>();
  return class InProcessTokenBucketStore {
    incr(key: string, callback: IncrCallback): void {
      const outcome = takeToken(buckets.get(key), monotonicMs(), settings);
      buckets.delete(key);
      buckets.set(key, outcome.bucket);
      if (buckets.size > maxBuckets) buckets.delete(buckets.keys().next().value!);
      callback(null, asRateLimitResult({ ...outcome, tokens: outcome.bucket.tokens }, settings.capacity));
    }

    child(): this {
      return this;
    }
  };
}
