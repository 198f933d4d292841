/**
 * Token bucket arithmetic shared by the in-process and the Redis store (the Redis one runs the same steps in Lua): a
 * bucket holds up to `capacity` tokens, gains `refillPerSecond` tokens a second, and each request takes one. A request
 * that finds less than one token is refused, and told how long until one is there.
 */
export interface TokenBucketSettings {
  /** Most tokens a bucket holds: the burst a participant may send at once. */
  capacity: number;
  /** Tokens added a second: the sustained rate. */
  refillPerSecond: number;
}

/** A bucket's state: tokens left (fractional) at instant `at` (ms). A missing bucket is a full one. */
export interface Bucket {
  tokens: number;
  at: number;
}

export interface TakeOutcome {
  bucket: Bucket;
  allowed: boolean;
  /** Refused: ms until one token is there (Retry-After). Allowed: 0. */
  waitMs: number;
  /** ms until the bucket is full again, when forgetting it changes nothing. */
  fullInMs: number;
}

/** Refills `bucket` up to `now` and takes one token if there is one. */
export function takeToken(bucket: Bucket | undefined, now: number, { capacity, refillPerSecond }: TokenBucketSettings): TakeOutcome {
  const perMs = refillPerSecond / 1000;
  const elapsed = bucket ? Math.max(0, now - bucket.at) : 0;
  let tokens = bucket ? Math.min(capacity, bucket.tokens + elapsed * perMs) : capacity;
  const allowed = tokens >= 1;
  if (allowed) tokens -= 1;
  return {
    bucket: { tokens, at: now },
    allowed,
    waitMs: allowed ? 0 : ceilMs((1 - tokens) / perMs),
    fullInMs: ceilMs((capacity - tokens) / perMs),
  };
}

/** Whole ms, rounded up, without float dust turning 1.0000000000000009 into 2 (same tolerance in the Lua script). */
function ceilMs(ms: number): number {
  return Math.ceil(ms - 1e-9);
}

/**
 * What @fastify/rate-limit expects from a store's `incr`: `current` requests counted against `max` (= capacity) and a
 * `ttl` in ms. It refuses when `current > max` and sends `ceil(ttl / 1000)` as Retry-After, so a refusal reports
 * capacity + 1 and the wait for one token; an allowed request reports the tokens used (remaining = the whole tokens
 * left) and the time until the bucket is full.
 */
export function asRateLimitResult(
  outcome: { allowed: boolean; tokens: number; waitMs: number; fullInMs: number },
  capacity: number,
): { current: number; ttl: number } {
  return outcome.allowed
    ? { current: capacity - Math.floor(outcome.tokens), ttl: outcome.fullInMs }
    : { current: capacity + 1, ttl: outcome.waitMs };
}
