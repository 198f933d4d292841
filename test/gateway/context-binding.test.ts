import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { buildGateway } from '../../gateway/build-gateway';
import { buildSubgraphApp } from '../../subgraphs/kit/build-subgraph-app';
import { createDatabase, type Database } from '../../subgraphs/kit/db';
import { findSubgraph } from '../../subgraphs';
import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { buildDemoDataset } from '../../dev/build-dataset';
import { INTERNAL_CONTEXT_HEADER } from '../../core';
import type { ContextRefusalEntry } from '../../subgraphs/kit/check-context';
import { startTestStack, type TestStack } from '../support/test-stack';
import { testKeys, type Actor } from '../support/test-keys';
import { TEST_NOW, DAY_MS } from '../support/test-clock';

// Issue 11, item 4: the internal context the gateway sends a subgraph is bound to that subgraph (aud), to the exact body
// (bh), lives 5 s, and a mutation's context is spent on first use, in the subgraph's database so replicas agree.
// Here an attacker who captured one context off the wire (a capturing proxy in front of the appointment subgraph)
// tries to reuse it.

const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
const dataset = buildDemoDataset(TEST_NOW);
const utcDay = (offset: number) => new Date(TEST_NOW.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
const REQUEST = `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { id } }`;
/** MPAN 10: Smart, SUPB's, SDSA its Smart Data Service; a change to SDSB from a later day is accepted. */
const MPAN = dataset.meteringPoints[10].mpanCore;

interface Captured {
  headers: IncomingHttpHeaders;
  body: string;
}

let stack: TestStack;
let gateway: FastifyInstance;
let proxy: Server;
let replica: FastifyInstance;
let replicaDb: Database;
let sql: Client;
const captured: Captured[] = [];
const refusals: ContextRefusalEntry[] = [];

/** Forwards everything to `target` and keeps a copy of each request: what an eavesdropper on the internal network sees. */
function capturingProxy(target: string): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      captured.push({ headers: request.headers, body });
      void fetch(target, { method: 'POST', headers: forwardable(request.headers), body }).then(async (answer) => {
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        response.end(await answer.text());
      });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const forwardable = (headers: IncomingHttpHeaders): Record<string, string> => ({
  'content-type': 'application/json',
  [INTERNAL_CONTEXT_HEADER]: String(headers[INTERNAL_CONTEXT_HEADER] ?? ''),
});

beforeAll(async () => {
  stack = await startTestStack();
  const keys = await testKeys();
  const urls = Object.fromEntries(stack.subgraphs.map((s) => [s.name, s.url]));
  proxy = await capturingProxy(urls.appointment);
  gateway = await buildGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: { ...urls, appointment: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql` },
    tokenVerifier: keys.security.tokenVerifier,
    internalContextKey: keys.security.internalContextKey,
    clock: stack.clock,
    audit: () => {},
  });
  await gateway.listen({ host: '127.0.0.1', port: 0 });
  // A second replica of the appointment subgraph on the same database: it must refuse what the first one spent.
  replicaDb = createDatabase(stack.database.url, { maxConnections: 2, applicationName: 'test-appointment-replica' });
  replica = await buildSubgraphApp({
    subgraph: findSubgraph('appointment'),
    db: replicaDb,
    contextVerifier: keys.security.contextVerifier,
    questionKey: keys.security.questionKey,
    subgraphUrls: urls,
    logRefusal: (entry) => refusals.push(entry),
  });
  sql = new Client({ connectionString: stack.database.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await replica?.close();
  await replicaDb?.close();
  await gateway?.close();
  await new Promise((resolve) => proxy?.close(resolve));
  await stack?.close();
});

async function throughGateway(query: string, variables: Record<string, unknown>, as: Actor) {
  const response = await gateway.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token(as)}` },
    payload: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** Sends `headers` and `body` straight to a subgraph (or the replica), as an attacker on the internal network would. */
async function replay(target: string | FastifyInstance, headers: IncomingHttpHeaders, body: string) {
  if (typeof target !== 'string') {
    const response = await target.inject({ method: 'POST', url: '/graphql', headers: forwardable(headers), payload: body });
    return { status: response.statusCode, body: response.json() };
  }
  const url = stack.subgraphs.find((s) => s.name === target)!.url;
  const response = await fetch(url, { method: 'POST', headers: forwardable(headers), body });
  return { status: response.status, body: await response.json() };
}

const refused = (reason: string) => ({
  status: 401,
  body: { errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }] },
});

describe('a captured internal context is worth nothing elsewhere (issue 11, item 4; PRI-024)', () => {
  let mutation: Captured;

  beforeAll(async () => {
    const input = {
      mpanCore: MPAN,
      serviceRole: 'SMART_DATA_SERVICE',
      provider: 'SDSB',
      scenario: 'CHANGE_OF_SERVICE_PROVIDER',
      effectiveFrom: utcDay(5),
      contractReference: 'CTR-SUPB-SDSB',
    };
    const answer = await throughGateway(REQUEST, { input }, SUPB);
    expect(answer.errors).toBeUndefined();
    mutation = captured.find((c) => c.body.includes('requestAppointment'))!;
    expect(mutation).toBeDefined();
  });

  it('a mutation context is spent: replayed on the same subgraph, or on another replica sharing its database, it is refused as CONTEXT_REPLAYED and logged', async () => {
    const before = (await sql.query('SELECT count(*)::int AS n FROM appointment.appointment WHERE mpan_core = $1', [MPAN])).rows[0].n;
    expect(await replay('appointment', mutation.headers, mutation.body)).toEqual(refused('CONTEXT_REPLAYED'));
    expect(await replay(replica, mutation.headers, mutation.body)).toEqual(refused('CONTEXT_REPLAYED'));
    const after = (await sql.query('SELECT count(*)::int AS n FROM appointment.appointment WHERE mpan_core = $1', [MPAN])).rows[0].n;
    expect(after).toBe(before);
    // The replica's log line names whose request was replayed, never the context itself.
    expect(refusals.at(-1)).toEqual({
      event: 'context_refused',
      at: expect.any(String),
      subgraph: 'appointment',
      path: '/graphql',
      status: 401,
      reason: 'CONTEXT_REPLAYED',
      message: 'internal context was already used for a mutation (replay)',
      requestId: expect.any(String),
      participant: 'SUPB',
    });
    expect(JSON.stringify(refusals)).not.toContain(String(mutation.headers[INTERNAL_CONTEXT_HEADER]));
  });

  it('is refused with another body (CONTEXT_BODY_MISMATCH): the attacker cannot change the operation or its variables', async () => {
    const otherBody = mutation.body.replace('CTR-SUPB-SDSB', 'CTR-SUPB-EVIL');
    expect(otherBody).not.toBe(mutation.body);
    expect(await replay(replica, mutation.headers, otherBody)).toEqual(refused('CONTEXT_BODY_MISMATCH'));
    const read = JSON.stringify({ query: '{ appointment(id: "x") { id } }' });
    expect(await replay(replica, mutation.headers, read)).toEqual(refused('CONTEXT_BODY_MISMATCH'));
  });

  it('is refused by every other subgraph (CONTEXT_AUDIENCE_MISMATCH), _service included', async () => {
    for (const other of ['registration', 'metering-data', 'settlement']) {
      expect(await replay(other, mutation.headers, mutation.body)).toEqual(refused('CONTEXT_AUDIENCE_MISMATCH'));
      expect(await replay(other, mutation.headers, JSON.stringify({ query: '{ _service { sdl } }' }))).toEqual(
        refused('CONTEXT_AUDIENCE_MISMATCH'),
      );
    }
  });

  it('a read context may be repeated for its body within its 5 s, and is refused as CONTEXT_EXPIRED after (5 s + 2 s tolerance)', async () => {
    captured.length = 0;
    const read = await throughGateway(
      `query($m: MpanCore!) { meteringPoint(mpanCore: $m) { mpanCore currentAppointments { id } } }`,
      { m: MPAN },
      SUPB,
    );
    expect(read.errors).toBeUndefined();
    const [entities] = captured;
    expect(entities.body).toContain('_entities');
    const again = await replay(replica, entities.headers, entities.body);
    expect(again.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(await replay(replica, entities.headers, entities.body)).toEqual(refused('CONTEXT_EXPIRED'));
  }, 20_000);
});
