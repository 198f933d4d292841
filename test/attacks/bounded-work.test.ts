import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { startTestStack, TestStack } from '../support/test-stack';
import { aliasBomb, cyclicChain } from './support/abusive-operations';
import { testKeys, type Actor } from '../support/test-keys';
import { testClock } from '../support/test-clock';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { buildGateway } from '../../gateway/build-gateway';
import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { DEFAULT_BOUNDS, DEFAULT_EDGE, edgeSettingsFromEnv, type RequestBounds } from '../../gateway/limits/edge-settings';
import { createDatabase } from '../../subgraphs/kit/db';

// /healthz latency is measured on a machine the other test files share: a burst of theirs (a PostgreSQL starting) can
// cost one sampling window its p90, attack or not. A starved /healthz (11.6 s before the limits) fails every attempt.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

/** Issue 11, item 2: no request can hold the gateway, a subgraph or PostgreSQL for long, nor crowd out /healthz. */
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const QUERY = '{ meteringPoint(mpanCore: "1200000000420") { mpanCore marketSegment } }';

/** Polls /healthz every 20 ms until `until` settles; returns each answer's latency (all must be 200). */
async function healthLatencies(healthUrl: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const started = performance.now();
    const response = await fetch(healthUrl);
    await response.text();
    expect(response.status).toBe(200);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return latencies;
}

/**
 * /healthz kept answering: half its answers within 100 ms (on top of the machine's own quiet median, measured first with
 * no attack), none slower than a few seconds; before the limits, one depth-16 query left it unanswered for 11.6 s.
 * Measured here under a sustained 4-worker flood: p90 about 70 ms on Node 20 and about 160 ms on Node 24 on a quiet
 * 2-core machine, and single answers up to 1.2 s with other test files running, so only the median is held to 100 ms.
 */
function expectHealthy(latencies: number[], quiet: number[]): void {
  const at = (values: number[], fraction: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
  };
  expect(at(latencies, 0.5)).toBeLessThan(100 + at(quiet, 0.5));
  expect(at(latencies, 1)).toBeLessThan(3000);
}

/** Runs test/attacks/support/attacker.ts in a process of its own; resolves to the count of each HTTP status. */
function runAttacker(plan: {
  url: string;
  token: string;
  bodies: string[];
  workers: number;
  durationMs: number;
}): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support', 'attacker.ts')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`attacker exited with ${code}`))));
    child.stdin.end(JSON.stringify(plan));
  });
}

describe('bounds on work (issue 11, item 2)', () => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    stack = await startTestStack();
    token = await stack.token(SUPA);
  });
  afterAll(async () => {
    await stack?.close();
  });
  const healthUrl = () => stack.gatewayUrl.replace('/graphql', '/healthz');
  const post = (body: string) =>
    fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });

  it('answers /healthz within 100 ms while abusive operations are being refused', async () => {
    const bodies = [
      JSON.stringify({ query: cyclicChain(20) }),
      JSON.stringify({ query: aliasBomb(1000) }),
      JSON.stringify({ query: `${'# padding\n'.repeat(200_000)}{ __typename }` }),
      JSON.stringify({ query: Array.from({ length: 1000 }, (_, i) => `query Q${i} { __typename }`).join('\n') }),
    ];
    // The same polling with no attack: what this machine gives right now.
    const quiet = await healthLatencies(healthUrl(), new Promise((resolve) => setTimeout(resolve, 2000)));
    const attack = runAttacker({ url: stack.gatewayUrl, token, bodies, workers: 4, durationMs: 4000 });
    const latencies = await healthLatencies(healthUrl(), attack);
    const statuses = await attack;
    // Every attack was answered, and refused (400), while /healthz kept answering.
    expect(Object.keys(statuses)).toEqual(['400']);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBeGreaterThan(4);
    expect(latencies.length).toBeGreaterThan(20);
    console.log(`/healthz under attack: ${latencies.length} answers, ms: ${latencies.map((l) => l.toFixed(0)).join(' ')}`);
    expectHealthy(latencies, quiet);
  });

  it('refuses a body over the limit with 413 REQUEST_TOO_LARGE before parsing it, and takes one just under it', async () => {
    const tooLarge = JSON.stringify({ query: QUERY, variables: { padding: 'x'.repeat(DEFAULT_BOUNDS.bodyLimitBytes) } });
    const response = await post(tooLarge);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: `The request body is larger than ${DEFAULT_BOUNDS.bodyLimitBytes} bytes`,
          extensions: { code: 'REQUEST_TOO_LARGE', limit: DEFAULT_BOUNDS.bodyLimitBytes },
        },
      ],
    });
    const justUnder = JSON.stringify({ query: QUERY, variables: { padding: 'x'.repeat(DEFAULT_BOUNDS.bodyLimitBytes - 1000) } });
    const accepted = await post(justUnder);
    expect(accepted.status).toBe(200);
    expect((await accepted.json()).data.meteringPoint.mpanCore).toBe('1200000000420');
  });

  it('refuses an answer over the response cap with RESPONSE_TOO_LARGE', async () => {
    const small = await startTestStack(undefined, { edge: { ...DEFAULT_EDGE, bounds: { ...DEFAULT_BOUNDS, responseBytes: 60 } } });
    try {
      const tiny = await small.query('{ __typename }', undefined, SUPA);
      expect(tiny.status).toBe(200);
      const { status, body } = await small.query(QUERY, undefined, SUPA);
      expect(status).toBe(400);
      expect(body.errors[0].extensions).toEqual({ code: 'RESPONSE_TOO_LARGE', limit: 60 });
    } finally {
      await small.close();
    }
  });

  it('reads no further than the subgraph answer cap: the field fails, nothing past the cap is kept', async () => {
    const capped = await startTestStack(undefined, { edge: { ...DEFAULT_EDGE, bounds: { ...DEFAULT_BOUNDS, subgraphResponseBytes: 40 } } });
    try {
      const { status, body } = await capped.query(QUERY, undefined, SUPA);
      expect(status).toBe(200);
      expect(body.data.meteringPoint).toBeNull();
      expect(body.errors.length).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toContain('marketSegment":"');
    } finally {
      await capped.close();
    }
  });

  it('reads each bound from its environment variable', () => {
    expect(edgeSettingsFromEnv({}).bounds).toEqual(DEFAULT_BOUNDS);
    expect(edgeSettingsFromEnv({ REQUEST_TIMEOUT_MS: '1000', BODY_LIMIT_BYTES: '2048' }).bounds).toEqual({
      ...DEFAULT_BOUNDS,
      requestTimeoutMs: 1000,
      bodyLimitBytes: 2048,
    });
    expect(() => edgeSettingsFromEnv({ SUBGRAPH_TIMEOUT_MS: '0' })).toThrow('SUBGRAPH_TIMEOUT_MS must be a positive integer');
  });
});

describe('a subgraph that does not answer (issue 11, item 2)', () => {
  let silent: Server;
  let silentUrl: string;
  const gateways: FastifyInstance[] = [];
  beforeAll(async () => {
    // Accepts connections and reads requests but never answers: what a stuck subgraph looks like to the gateway.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    // Drop the stuck connections first: a gateway closing waits for its subgraph calls in flight.
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    await Promise.all(gateways.map((gateway) => gateway.close()));
  });

  async function gatewayWith(bounds: Partial<RequestBounds>): Promise<{ url: string; token: string }> {
    const keys = await testKeys();
    const supergraphSdl = readCommittedSupergraph();
    const names = ['appointment', 'metering-data', 'registration', 'settlement'];
    const gateway = await buildGateway({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(names.map((name) => [name, silentUrl])),
      tokenVerifier: keys.security.tokenVerifier,
      internalContextKey: keys.security.internalContextKey,
      clock: testClock(),
      audit: () => undefined,
      edge: { ...DEFAULT_EDGE, bounds: { ...DEFAULT_BOUNDS, ...bounds } },
    });
    gateways.push(gateway);
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    return { url: `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`, token: await keys.token(SUPA) };
  }
  const ask = (url: string, token: string) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: QUERY }),
    });

  it('stops waiting at the request deadline: 504 REQUEST_TIMEOUT, /healthz fast meanwhile', async () => {
    const { url, token } = await gatewayWith({ requestTimeoutMs: 1500, subgraphTimeoutMs: 30_000 });
    const quiet = await healthLatencies(`${url}/healthz`, new Promise((resolve) => setTimeout(resolve, 1000)));
    const started = performance.now();
    const answer = ask(url, token);
    const latencies = await healthLatencies(`${url}/healthz`, answer);
    const response = await answer;
    expect(response.status).toBe(504);
    expect((await response.json()).errors[0].extensions).toEqual({ code: 'REQUEST_TIMEOUT', limit: 1500 });
    expect(performance.now() - started).toBeLessThan(5000);
    expectHealthy(latencies, quiet);
  });

  it('cuts the subgraph call at the subgraph timeout, before the request deadline', async () => {
    const { url, token } = await gatewayWith({ requestTimeoutMs: 10_000, subgraphTimeoutMs: 1000 });
    const started = performance.now();
    const response = await ask(url, token);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.data.meteringPoint).toBeNull();
    expect(body.errors.length).toBeGreaterThan(0);
  });
});

describe('PostgreSQL statement_timeout (issue 11, item 2)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('empty');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('ends a statement that runs longer than the pool allows (SQLSTATE 57014), the next one works', async () => {
    const db = createDatabase(database.url, { maxConnections: 1, statementTimeoutMs: 200 });
    try {
      const started = performance.now();
      await expect(db.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      expect(performance.now() - started).toBeLessThan(3000);
      expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await db.query<{ statement_timeout: string }>('SHOW statement_timeout')).toEqual([{ statement_timeout: '200ms' }]);
    } finally {
      await db.close();
    }
  });

  it('is 30 s by default', async () => {
    const db = createDatabase(database.url, { maxConnections: 1 });
    try {
      expect(await db.query<{ statement_timeout: string }>('SHOW statement_timeout')).toEqual([{ statement_timeout: '30s' }]);
    } finally {
      await db.close();
    }
  });
});
