import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startTestStack, TestStack } from '../support/test-stack';
import { testKeys, type Actor } from '../support/test-keys';
import { freePort } from '../../dev/free-port';
import { DEFAULT_EDGE } from '../../gateway/limits/edge-settings';
import { DEFAULT_RATE_LIMIT, rateLimitFromEnv } from '../../gateway/rate-limit';
import { asRateLimitResult, takeToken, type Bucket } from '../../gateway/limits/token-bucket';
import { inProcessTokenBucketStore } from '../../gateway/limits/token-bucket-store';

/**
 * Issue 11, item 3: a token bucket per participant (capacity = the burst, refilled at a steady rate), kept in the
 * gateway, or in Redis for every replica.
 */
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
const SUPC: Actor = { role: 'SUPPLIER', participant: 'SUPC' };
const ROOT = join(__dirname, '..', '..');
const QUERY = '{ __typename }';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectRateLimited(response: { status: number; headers: Headers }, body: any, max: number) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, limit: max });
}

describe('RATE_LIMIT* variables', () => {
  it('is on by default, off with RATE_LIMIT=off, shared through RATE_LIMIT_REDIS_URL', () => {
    expect(rateLimitFromEnv({})).toEqual(DEFAULT_RATE_LIMIT);
    expect(DEFAULT_RATE_LIMIT).toEqual({ capacity: 6000, refillPerSecond: 100 });
    expect(rateLimitFromEnv({ RATE_LIMIT: 'off' })).toBeNull();
    expect(
      rateLimitFromEnv({ RATE_LIMIT_MAX: '5', RATE_LIMIT_REFILL_PER_SECOND: '0.5', RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6390' }),
    ).toEqual({ capacity: 5, refillPerSecond: 0.5, redisUrl: 'redis://127.0.0.1:6390' });
  });

  it('keeps RATE_LIMIT_WINDOW_MS working: without a refill rate, the bucket refills its capacity once per window', () => {
    expect(rateLimitFromEnv({ RATE_LIMIT_MAX: '600', RATE_LIMIT_WINDOW_MS: '60000' })).toEqual({ capacity: 600, refillPerSecond: 10 });
    expect(rateLimitFromEnv({ RATE_LIMIT_MAX: '600', RATE_LIMIT_WINDOW_MS: '60000', RATE_LIMIT_REFILL_PER_SECOND: '2' })).toEqual({
      capacity: 600,
      refillPerSecond: 2,
    });
  });

  it('refuses values that are not positive numbers, naming the variable', () => {
    expect(() => rateLimitFromEnv({ RATE_LIMIT_MAX: 'many' })).toThrow('RATE_LIMIT_MAX must be a positive integer');
    expect(() => rateLimitFromEnv({ RATE_LIMIT_REFILL_PER_SECOND: '0' })).toThrow(
      'RATE_LIMIT_REFILL_PER_SECOND must be a positive number, got "0"',
    );
    expect(() => rateLimitFromEnv({ RATE_LIMIT_REFILL_PER_SECOND: 'fast' })).toThrow(
      'RATE_LIMIT_REFILL_PER_SECOND must be a positive number',
    );
  });
});

describe('the token bucket', () => {
  const settings = { capacity: 3, refillPerSecond: 2 };

  it('lets a burst of its capacity through, refuses the next with the wait for one token, and refills at its rate', () => {
    let bucket: Bucket | undefined;
    const take = (at: number) => {
      const outcome = takeToken(bucket, at, settings);
      bucket = outcome.bucket;
      return { allowed: outcome.allowed, waitMs: outcome.waitMs };
    };
    expect([take(0), take(0), take(0)].map((o) => o.allowed)).toEqual([true, true, true]);
    expect(take(100)).toEqual({ allowed: false, waitMs: 400 }); // 0.2 of a token after 100 ms at 2 a second
    expect(take(499)).toEqual({ allowed: false, waitMs: 1 });
    expect(take(500)).toEqual({ allowed: true, waitMs: 0 });
    expect(take(500)).toEqual({ allowed: false, waitMs: 500 });
    // A long pause fills the bucket to its capacity, never beyond.
    expect([take(60_000), take(60_000), take(60_000), take(60_000)].map((o) => o.allowed)).toEqual([true, true, true, false]);
  });

  it('reports to @fastify/rate-limit the tokens used while allowed, and capacity + 1 with the wait (Retry-After) when refused', () => {
    expect(asRateLimitResult({ allowed: true, tokens: 1.5, waitMs: 0, fullInMs: 750 }, 3)).toEqual({ current: 2, ttl: 750 });
    expect(asRateLimitResult({ allowed: false, tokens: 0.2, waitMs: 400, fullInMs: 1400 }, 3)).toEqual({ current: 4, ttl: 400 });
  });

  it('as an in-process store keeps one bucket per key, shared by every route, and forgets the least recently used first', async () => {
    let now = 0;
    const Store = inProcessTokenBucketStore({ capacity: 1, refillPerSecond: 1 }, { now: () => now, maxBuckets: 2 });
    const store = new Store({});
    const incr = (key: string, onRoute = store) => new Promise((resolve) => onRoute.incr(key, (_error, result) => resolve(result), 0, 1));
    expect(await incr('participant:SUPA')).toEqual({ current: 1, ttl: 1000 });
    expect(await incr('participant:SUPA', store.child({} as never))).toEqual({ current: 2, ttl: 1000 });
    expect(await incr('participant:SUPB')).toEqual({ current: 1, ttl: 1000 });
    await incr('participant:SUPC'); // a third bucket: SUPA's, the least recently used, is forgotten (full again)
    expect(await incr('participant:SUPA')).toEqual({ current: 1, ttl: 1000 });
    now = 250;
    expect(await incr('participant:SUPA')).toEqual({ current: 2, ttl: 750 });
  });
});

describe('rate limit in the gateway process', () => {
  let stack: TestStack;
  // 3 at once, then one token a second, on a clock the test moves: refill without sleeping, whatever the machine's load.
  let now = 0;
  beforeAll(async () => {
    stack = await startTestStack(undefined, {
      edge: { ...DEFAULT_EDGE, rateLimit: { capacity: 3, refillPerSecond: 1, monotonicNow: () => now } },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const send = async (actor: Actor) => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token(actor)}` },
      body: JSON.stringify({ query: QUERY }),
    });
    return { response, body: await response.json() };
  };

  it('lets a burst of the capacity through, then answers 429 RATE_LIMITED with Retry-After until a token refills, per participant', async () => {
    const burst = [];
    for (let i = 0; i < 3; i++) burst.push(await send(SUPA));
    expect(burst.map(({ response }) => [response.status, response.headers.get('x-ratelimit-remaining')])).toEqual([
      [200, '2'],
      [200, '1'],
      [200, '0'],
    ]);
    now = 400;
    const limited = await send(SUPA);
    expectRateLimited(limited.response, limited.body, 3);
    expect(limited.response.headers.get('retry-after')).toBe('1'); // 600 ms to the next token, rounded up
    // Another participant has its own bucket; a new token of the same participant does not refill it.
    expect((await send(SUPB)).response.status).toBe(200);
    expect((await send(SUPA)).response.status).toBe(429);
    // One token is back a second after the burst, and only one.
    now = 1000;
    expect((await send(SUPA)).response.status).toBe(200);
    expect((await send(SUPA)).response.status).toBe(429);
    // A long pause refills the whole burst, never more.
    now = 60_000;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(SUPA)).response.status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    for (let i = 0; i < 10; i++) expect((await fetch(stack.gatewayUrl.replace('/graphql', '/healthz'))).status).toBe(200);
  });
});

describe('rate limit shared by two gateway processes through Redis', () => {
  let redis: ChildProcess;
  const gateways: ChildProcess[] = [];
  let redisPort: number;
  let gatewayPorts: number[];

  const startGateway = async (port: number): Promise<ChildProcess> => {
    const keys = await testKeys();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve-gateway.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DATA_DIR: keys.dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        RATE_LIMIT_MAX: '5',
        RATE_LIMIT_REFILL_PER_SECOND: '0.5',
        RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    gateways.push(child);
    return child;
  };
  const waitFor = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (await check().catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  beforeAll(async () => {
    redisPort = await freePort();
    // Redis keeps the buckets' time (TIME): it runs on the real clock, also when the suite runs under faketime (whose
    // frozen clock would stop its event loop); the gateways get only the variables below.
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
      env: { PATH: process.env.PATH },
    });
    gatewayPorts = [await freePort(), await freePort()];
    await Promise.all(gatewayPorts.map((port) => startGateway(port)));
    await Promise.all(
      gatewayPorts.map((port) => waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, `gateway on ${port}`)),
    );
  }, 90_000);
  afterAll(async () => {
    for (const child of [...gateways, redis]) child?.kill('SIGTERM');
    await Promise.all(
      [...gateways, redis].map(
        (child) => child && new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
      ),
    );
  });

  it('takes from one bucket per participant across both replicas: the sixth request is refused wherever it lands, and a refilled token is taken once', async () => {
    const keys = await testKeys();
    const token = await keys.token(SUPA);
    const send = async (port: number) => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: QUERY }),
      });
      return { response, body: await response.json() };
    };
    // A first answer of a new process is slow: warm both up as another participant, so the burst below takes far less
    // than the two seconds a token needs.
    const warmUpToken = await keys.token(SUPC);
    for (const port of gatewayPorts) {
      const warmUp = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${warmUpToken}` },
        body: JSON.stringify({ query: QUERY }),
      });
      expect(warmUp.status).toBe(200);
    }
    // Alternate the replicas: 3 requests on one, 2 on the other. Each alone would allow 5.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(gatewayPorts[i % 2])).response.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    for (const port of gatewayPorts) {
      const limited = await send(port);
      expectRateLimited(limited.response, limited.body, 5);
    }
    // One token every two seconds (Redis's clock): after it is back, one replica takes it and the other finds the bucket
    // empty again.
    await sleep(2000);
    expect((await send(gatewayPorts[1])).response.status).toBe(200);
    expect((await send(gatewayPorts[0])).response.status).toBe(429);
    // Another participant is counted on its own.
    const other = await fetch(`http://127.0.0.1:${gatewayPorts[1]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await keys.token(SUPB)}` },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(other.status).toBe(200);
  });
});
