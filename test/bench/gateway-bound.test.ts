import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildDemoDataset, DEMO_SETTLEMENT_DATES } from '../../dev/build-dataset';
import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { buildGateway } from '../../gateway/build-gateway';
import { startCannedSubgraphs, type CannedStats, type CannedSubgraphs } from '../../bench/gateway-bound/canned-subgraphs';
import { subgraphRequestKey } from '../../bench/gateway-bound/request-key';
import { buildGatewayBoundScenario } from '../../bench/gateway-bound/scenario';
import { ACTOR_PARTICIPANT_HEADER, ACTOR_ROLE_HEADER, startPlainGateway, type PlainGateway } from '../../bench/plain-gateway';
import { startTestStack, type TestStack } from '../support/test-stack';
import { testKeys } from '../support/test-keys';
import { TEST_NOW } from '../support/test-clock';

// Issue 17: the gateway-bound scenario's canned subgraphs record the real subgraphs' answers to exactly the requests a
// gateway's plan makes, then answer those from memory alone, so every gateway gets identical input.
describe('bench: gateway-bound canned subgraphs', () => {
  let stack: TestStack;
  let canned: CannedSubgraphs;
  let plain: PlainGateway;
  let ours: FastifyInstance;
  let oursUrl: string;
  const scenario = buildGatewayBoundScenario(buildDemoDataset(TEST_NOW), DEMO_SETTLEMENT_DATES);
  const actor = scenario.actor;

  beforeAll(async () => {
    stack = await startTestStack();
    const keys = await testKeys();
    canned = await startCannedSubgraphs({ upstreams: Object.fromEntries(stack.subgraphs.map((s) => [s.name, s.url])) });
    const supergraphSdl = readCommittedSupergraph();
    plain = await startPlainGateway({ supergraphSdl, subgraphUrls: canned.urls, internalContextKey: keys.security.internalContextKey });
    ours = await buildGateway({
      supergraphSdl,
      subgraphUrls: canned.urls,
      tokenVerifier: keys.security.tokenVerifier,
      internalContextKey: keys.security.internalContextKey,
      clock: stack.clock,
      audit: () => undefined,
      metricsRoute: false,
    });
    await ours.listen({ host: '127.0.0.1', port: 0 });
    oursUrl = `http://127.0.0.1:${(ours.server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await ours?.close();
    await plain?.stop();
    await canned?.close();
    await stack?.close();
  });

  const viaOurs = async (body: string) => {
    const token = await stack.token(actor);
    const response = await fetch(oursUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    return (await response.json()) as { data?: unknown; errors?: unknown };
  };
  const viaPlain = async (body: string) => {
    const response = await fetch(plain.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ACTOR_ROLE_HEADER]: actor.role, [ACTOR_PARTICIPANT_HEADER]: actor.participant },
      body,
    });
    return (await response.json()) as { data?: unknown; errors?: unknown };
  };
  const total = (stats: Record<string, CannedStats>, field: keyof Omit<CannedStats, 'mode'>) =>
    Object.values(stats).reduce((n, s) => n + s[field], 0);

  it('records each plan once from the real subgraphs, then answers it from memory alone with the same data', async () => {
    const body = scenario.bodies[0];
    const real = await stack.post(JSON.parse(body), { authorization: `Bearer ${await stack.token(actor)}` });
    expect(real.body.errors).toBeUndefined();
    expect((real.body.data.meteringPoints as unknown[]).length).toBe(5);

    // Recording: both gateways' plans reach all four real subgraphs through the canned servers.
    expect(await viaOurs(body)).toEqual({ data: real.body.data });
    expect(await viaPlain(body)).toEqual({ data: real.body.data });
    const recorded = canned.stats();
    for (const [name, s] of Object.entries(recorded))
      expect({ name, forwarded: s.forwarded > 0, misses: s.misses }).toEqual({ name, forwarded: true, misses: 0 });

    // Replay: the same answers with no subgraph behind them; every subgraph request still carries a signed context.
    canned.replay();
    expect(await viaOurs(body)).toEqual({ data: real.body.data });
    expect(await viaPlain(body)).toEqual({ data: real.body.data });
    const replayed = canned.stats();
    expect(total(replayed, 'forwarded')).toBe(total(recorded, 'forwarded'));
    expect(total(replayed, 'hits')).toBeGreaterThanOrEqual(total(recorded, 'forwarded'));
    expect(total(replayed, 'misses')).toBe(0);
    expect(total(replayed, 'signed')).toBe(total(replayed, 'forwarded') + total(replayed, 'hits'));

    // A request never recorded is not answered: the canned servers only serve what the real subgraphs said.
    const unrecorded = await viaPlain(scenario.bodies[1]);
    expect(unrecorded.errors).toBeDefined();
    expect(total(canned.stats(), 'misses')).toBeGreaterThan(0);
  });

  it('files a subgraph request under its query, operation and variables, whatever the spacing and key order', () => {
    const a = JSON.stringify({
      query: 'query($r: [_Any!]!) {  _entities(representations: $r) { __typename } }',
      variables: { r: [{ a: 1, b: 2 }] },
    });
    const b = JSON.stringify({
      variables: { r: [{ b: 2, a: 1 }] },
      query: 'query($r: [_Any!]!) { _entities(representations: $r) {\n __typename } }',
    });
    const c = JSON.stringify({
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
      variables: { r: [{ a: 1, b: 3 }] },
    });
    expect(subgraphRequestKey(a)).toBe(subgraphRequestKey(b));
    expect(subgraphRequestKey(a)).not.toBe(subgraphRequestKey(c));
  });
});
