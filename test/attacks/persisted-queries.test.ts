import { createHash } from 'node:crypto';
import { startTestStack, TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';
import { DEFAULT_EDGE, edgeSettingsFromEnv } from '../../gateway/limits/edge-settings';

/** Issue 11, item 6 (APQ part): automatic persisted queries are off unless asked for, and each of their errors is coded. */
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const QUERY = '{ meteringPoint(mpanCore: "1200000000420") { mpanCore } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

async function post(stack: TestStack, body: unknown) {
  return stack.post(body, { authorization: `Bearer ${await stack.token(SUPA)}` });
}

describe('PERSISTED_QUERIES', () => {
  it('is off by default and on only when set to "on"', () => {
    expect(edgeSettingsFromEnv({}).persistedQueries).toBe(false);
    expect(edgeSettingsFromEnv({ PERSISTED_QUERIES: 'on' }).persistedQueries).toBe(true);
    expect(() => edgeSettingsFromEnv({ PERSISTED_QUERIES: 'yes' })).toThrow('PERSISTED_QUERIES must be "on" or "off"');
  });
});

describe('APQ off (the default)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers a hash with PERSISTED_QUERY_NOT_SUPPORTED and never registers a query', async () => {
    const registered = await post(stack, { query: QUERY, extensions: persisted(HASH) });
    expect(registered.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    const byHash = await post(stack, { extensions: persisted(HASH) });
    expect(byHash.body.data).toBeUndefined();
    expect(byHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });
});

describe('APQ on (PERSISTED_QUERIES=on)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(undefined, { edge: { ...DEFAULT_EDGE, persistedQueries: true } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, then runs it by hash once sent in full', async () => {
    const unknown = await post(stack, { extensions: persisted(HASH) });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const full = await post(stack, { query: QUERY, extensions: persisted(HASH) });
    expect(full.status).toBe(200);
    expect(full.body.data.meteringPoint.mpanCore).toBe('1200000000420');
    const byHash = await post(stack, { extensions: persisted(HASH) });
    expect(byHash.status).toBe(200);
    expect(byHash.body.data.meteringPoint.mpanCore).toBe('1200000000420');
  });

  it("refuses a hash that is not the query's with 400 PERSISTED_QUERY_HASH_MISMATCH (was INTERNAL_SERVER_ERROR)", async () => {
    const { status, body } = await post(stack, { query: QUERY, extensions: persisted('0'.repeat(64)) });
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        {
          message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query text',
          extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
        },
      ],
    });
  });

  it("checks the limits on every use by hash, with that request's variables", async () => {
    const query = 'query Page($first: Int!) { meteringPointPage(first: $first) { nodes { mpanCore currentAppointments { id } } } }';
    const hash = createHash('sha256').update(query).digest('hex');
    const small = await post(stack, { query, variables: { first: 5 }, extensions: persisted(hash) });
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();
    const huge = await post(stack, { variables: { first: 1_000_000 }, extensions: persisted(hash) });
    expect(huge.status).toBe(400);
    expect(huge.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});
