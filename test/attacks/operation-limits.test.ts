import { startTestStack, TestStack } from '../support/test-stack';
import { aliasBomb, cyclicChain } from './support/abusive-operations';
import type { Actor } from '../support/test-keys';
import { DEFAULT_LIMITS, operationLimitsFromEnv } from '../../gateway/limits/limits-config';
import { DEFAULT_EDGE, type EdgeSettings } from '../../gateway/limits/edge-settings';

/**
 * Issue 11, item 1: what one legitimate supplier token could do to the stack before the limits, each refused now
 * before planning with HTTP 400, a code, the measured value and the limit, and one `limit_refused` audit line.
 */
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const MPAN = '1200000000420';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

async function expectRefused(query: string, code: string, variables?: Record<string, unknown>) {
  const before = stack.auditLog.length;
  const started = performance.now();
  const { status, body } = await stack.query(query, variables, SUPA);
  const elapsedMs = performance.now() - started;
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors;
  expect(error.extensions.code).toBe(code);
  expect(error.extensions.measured).toBeGreaterThan(error.extensions.limit);
  expect(error.message).toContain(`limit ${error.extensions.limit}`);
  const lines = stack.auditLog.slice(before);
  expect(lines).toEqual([
    expect.objectContaining({
      event: 'limit_refused',
      participant: 'SUPA',
      role: 'SUPPLIER',
      code,
      measured: error.extensions.measured,
      limit: error.extensions.limit,
      operationHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      requestId: expect.any(String),
    }),
  ]);
  return { error, elapsedMs };
}

describe('operation limits at the gateway (issue 11, item 1)', () => {
  it('refuses the cyclic meteringPoint → currentAppointments chain at depth 16 and 20 in milliseconds', async () => {
    for (const levels of [16, 20]) {
      const { error, elapsedMs } = await expectRefused(cyclicChain(levels), 'QUERY_TOO_DEEP');
      expect(error.extensions.limit).toBe(DEFAULT_LIMITS.maxDepth);
      expect(elapsedMs).toBeLessThan(1000);
    }
  });

  it('prices the chain within the depth limit by its list sizes: refused as too complex when the depth allows it', async () => {
    const deepStack = await startTestStack(undefined, { edge: edgeWith({ maxDepth: 100 }) });
    try {
      const { status, body } = await deepStack.query(cyclicChain(20), undefined, SUPA);
      expect(status).toBe(400);
      expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: DEFAULT_LIMITS.maxCost });
      expect(body.errors[0].extensions.measured).toBeGreaterThan(DEFAULT_LIMITS.maxCost);
    } finally {
      await deepStack.close();
    }
  });

  it('refuses 1,000 aliases (an alias bomb: 4.4 s of CPU before) without running anything', async () => {
    const { error, elapsedMs } = await expectRefused(aliasBomb(1000), 'TOO_MANY_ALIASES');
    expect(error.extensions.measured).toBe(1000);
    expect(elapsedMs).toBeLessThan(1000);
  });

  it('refuses fewer aliases that each ask for big lists as too complex (cost multiplies key lists and `first`)', async () => {
    const mpanCores = Array.from({ length: 500 }, (_, i) => String(1200000000000 + i));
    const points = Array.from(
      { length: 10 },
      (_, i) =>
        `p${i}: meteringPoints(mpanCores: $mpanCores) { consumption(from: $from, to: $to, first: 2000) { edges { node { value } } } }`,
    ).join(' ');
    const query = `query Bomb($mpanCores: [MpanCore!]!, $from: DateTime!, $to: DateTime!) { ${points} }`;
    const { error } = await expectRefused(query, 'QUERY_TOO_COMPLEX', {
      mpanCores,
      from: '2026-10-01T00:00:00Z',
      to: '2026-10-02T00:00:00Z',
    });
    // 10 aliases × 500 metering points × 2000 intervals × (edge + node + value)
    expect(error.extensions.measured).toBeGreaterThanOrEqual(10 * 500 * 2000 * 3);
  });

  it('takes `first` from the variables: the same document passes with a small page and is refused with a huge one', async () => {
    const query = `query Page($first: Int!) { meteringPointPage(first: $first) { nodes { mpanCore currentAppointments { id provider { id name } } } } }`;
    const small = await stack.query(query, { first: 10 }, SUPA);
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();
    await expectRefused(query, 'QUERY_TOO_COMPLEX', { first: 100_000 });
  });

  it('refuses a document of 2 MB of comments by its size', async () => {
    const { error } = await expectRefused(`${'# padding\n'.repeat(200_000)}{ __typename }`, 'DOCUMENT_TOO_LARGE');
    expect(error.extensions.limit).toBe(DEFAULT_LIMITS.maxDocumentBytes);
  });

  it('refuses a document of 1,000 operations', async () => {
    const operations = Array.from({ length: 1000 }, (_, i) => `query Q${i} { __typename }`).join('\n');
    await expectRefused(operations, 'TOO_MANY_OPERATIONS');
  });

  it('refuses too many tokens while parsing (graphql-js maxTokens stops the parser)', async () => {
    const { error } = await expectRefused(`{ ${'a '.repeat(20_000)}}`, 'TOO_MANY_TOKENS');
    expect(error.extensions.measured).toBe(DEFAULT_LIMITS.maxTokens + 1);
  });

  it('refuses too many directives and too many root fields', async () => {
    await expectRefused(`{ __typename ${'@include(if: true) '.repeat(60)}}`, 'TOO_MANY_DIRECTIVES');
    await expectRefused(`{ ${'__typename '.repeat(200)}}`, 'TOO_MANY_ROOT_FIELDS');
  });

  it('checks a GET request as it checks a POST', async () => {
    const url = `${stack.gatewayUrl}?query=${encodeURIComponent(cyclicChain(16))}`;
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${await stack.token(SUPA)}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: DEFAULT_LIMITS.maxDepth });
  });

  it('passes an ordinary query untouched', async () => {
    const { status, body } = await stack.query(
      `{ meteringPoint(mpanCore: "${MPAN}") { mpanCore currentAppointments { id } } }`,
      undefined,
      SUPA,
    );
    expect(status).toBe(200);
    expect(body.data.meteringPoint.mpanCore).toBe(MPAN);
  });
});

describe('LIMITS and LIMIT_* variables', () => {
  it('reads each limit, turns them all off with LIMITS=off, and refuses nonsense by name', () => {
    expect(operationLimitsFromEnv({})).toEqual(DEFAULT_LIMITS);
    expect(operationLimitsFromEnv({ LIMIT_DEPTH: '12', LIMIT_COST: '1000' })).toEqual({ ...DEFAULT_LIMITS, maxDepth: 12, maxCost: 1000 });
    expect(operationLimitsFromEnv({ LIMITS: 'off' })).toBeNull();
    expect(() => operationLimitsFromEnv({ LIMITS: 'maybe' })).toThrow('LIMITS must be "on" or "off"');
    expect(() => operationLimitsFromEnv({ LIMIT_ALIASES: '-1' })).toThrow('LIMIT_ALIASES must be a positive integer');
    expect(() => operationLimitsFromEnv({ LIMIT_TOKENS: 'lots' })).toThrow('LIMIT_TOKENS must be a positive integer');
  });
});

function edgeWith(limits: Partial<typeof DEFAULT_LIMITS>): EdgeSettings {
  return { ...DEFAULT_EDGE, limits: { ...DEFAULT_LIMITS, ...limits } };
}
