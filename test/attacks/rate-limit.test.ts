import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startTestStack, TestStack } from '../support/test-stack';
import { testKeys, type Actor } from '../support/test-keys';
import { freePort } from '../../dev/free-port';
import { DEFAULT_EDGE } from '../../gateway/limits/edge-settings';
import { DEFAULT_RATE_LIMIT, rateLimitFromEnv } from '../../gateway/rate-limit';

/** Issue 11, item 3: requests per participant, counted in the gateway, or in Redis for every replica. */
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
const ROOT = join(__dirname, '..', '..');
const QUERY = '{ __typename }';

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
    expect(rateLimitFromEnv({ RATE_LIMIT: 'off' })).toBeNull();
    expect(rateLimitFromEnv({ RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '1000', RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6390' })).toEqual(
      {
        max: 5,
        windowMs: 1000,
        redisUrl: 'redis://127.0.0.1:6390',
      },
    );
    expect(() => rateLimitFromEnv({ RATE_LIMIT_MAX: 'many' })).toThrow('RATE_LIMIT_MAX must be a positive integer');
  });
});

describe('rate limit in the gateway process', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(undefined, { edge: { ...DEFAULT_EDGE, rateLimit: { max: 3, windowMs: 60_000 } } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers 429 RATE_LIMITED with Retry-After past the limit, per participant, and never limits /healthz', async () => {
    const send = async (actor: Actor) => {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token(actor)}` },
        body: JSON.stringify({ query: QUERY }),
      });
      return { response, body: await response.json() };
    };
    for (let i = 0; i < 3; i++) expect((await send(SUPA)).response.status).toBe(200);
    const limited = await send(SUPA);
    expectRateLimited(limited.response, limited.body, 3);
    // Another participant has its own count; a new token of the same participant does not reset it.
    expect((await send(SUPB)).response.status).toBe(200);
    expect((await send(SUPA)).response.status).toBe(429);
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
        RATE_LIMIT_WINDOW_MS: '60000',
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
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
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

  it('counts one participant across both replicas: the sixth request is refused wherever it lands', async () => {
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
    // Alternate the replicas: 3 requests on one, 2 on the other. Each alone would allow 5.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(gatewayPorts[i % 2])).response.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    for (const port of gatewayPorts) {
      const limited = await send(port);
      expectRateLimited(limited.response, limited.body, 5);
    }
    // Another participant is counted on its own.
    const other = await fetch(`http://127.0.0.1:${gatewayPorts[1]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await keys.token(SUPB)}` },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(other.status).toBe(200);
  });
});
