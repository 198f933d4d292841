import type Redis from 'ioredis';
import { asRateLimitResult, type TokenBucketSettings } from './token-bucket';
import type { IncrCallback, RateLimitStoreClass } from './token-bucket-store';

/**
 * takeToken (token-bucket.ts) in one atomic script, on Redis's own clock (TIME), so every gateway replica takes from
 * the same bucket and none needs a clock in step with the others. The bucket is a hash {tokens, at}; it expires once it
 * would be full again, since a missing bucket is a full one. Fractional tokens travel as strings (Lua numbers returned
 * to Redis are cut to integers).
 */
const TAKE_TOKEN_LUA = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
else
  tokens = math.min(capacity, tokens + math.max(0, now - at) * perMs)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
local fullIn = math.ceil((capacity - tokens) / perMs - 1e-9)
local wait = 0
if allowed == 0 then wait = math.ceil((1 - tokens) / perMs - 1e-9) end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.max(1, fullIn))
return {allowed, string.format('%.6f', tokens), wait, fullIn}
`;

type TakeTokenCommand = (key: string, capacity: number, refillPerSecond: number) => Promise<[number, string, number, number]>;

/**
 * A token bucket per key in Redis, shared by every replica, as a @fastify/rate-limit store. Keys are `prefix` + the
 * rate-limit key (the participant); every route shares one bucket per key.
 */
export function redisTokenBucketStore(redis: Redis, settings: TokenBucketSettings, prefix: string): RateLimitStoreClass {
  const commands = redis as unknown as { mhhsTakeToken?: TakeTokenCommand };
  if (!commands.mhhsTakeToken) redis.defineCommand('mhhsTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN_LUA });
  const take = commands.mhhsTakeToken!.bind(redis);
  return class RedisTokenBucketStore {
    incr(key: string, callback: IncrCallback): void {
      take(`${prefix}${key}`, settings.capacity, settings.refillPerSecond).then(
        ([allowed, tokens, waitMs, fullInMs]) =>
          callback(null, asRateLimitResult({ allowed: allowed === 1, tokens: Number(tokens), waitMs, fullInMs }, settings.capacity)),
        (error: Error) => callback(error),
      );
    }

    child(): this {
      return this;
    }
  };
}
