import { startTestStack, TestStack } from '../support/test-stack';
import { testKeys, Actor } from '../support/test-keys';
import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { withoutStackTraces } from './federation-fixture/compare';
import { ACTOR_PARTICIPANT_HEADER, ACTOR_ROLE_HEADER, PlainGateway, startPlainGateway } from '../../bench/plain-gateway';

// Issue 5, item 4: federation must not change. The same operations go through ours with enforcement off (ACCESS=off)
// and through plain @apollo/gateway on the project's supergraph and the same subgraphs; the answers must be identical.

const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const MDSV: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };

// Each case also checks that it reaches what it is named for, so an answer both gateways get wrong alike cannot pass.
type Body = { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
const codes = (body: Body) => (body.errors ?? []).map((error) => error.extensions?.code);

const CASES: { name: string; as: Actor; query: string; variables?: Record<string, unknown>; check: (body: Body) => void }[] = [
  {
    name: 'entities across all four subgraphs',
    as: SUPA,
    query: `{ meteringPoint(mpanCore: "1200000000420") { mpanCore marketSegment currentSupplier { supplier { name } }
      currentAppointments { serviceRole provider { id name } messages { interface from { name } } }
      bmUnitAllocation { bmUnit { id leadParty { name } } }
      consumption(from: "2026-10-25T00:00:00Z", to: "2026-10-25T03:00:00Z") { edges { cursor node { utcStart value settlementPeriod { settlementPeriod periodsInDay localStartTime } } } pageInfo { hasNextPage endCursor } } } }`,
    check: ({ data, errors }) => {
      expect(errors).toBeUndefined();
      const point = data.meteringPoint;
      expect(point.currentSupplier.supplier.name).toEqual(expect.any(String));
      expect(point.currentAppointments.length).toBeGreaterThan(0);
      expect(point.bmUnitAllocation.bmUnit.leadParty.name).toEqual(expect.any(String));
      expect(point.consumption.edges.length).toBeGreaterThan(0);
      expect(point.consumption.edges[0].node.settlementPeriod.periodsInDay).toBe(50);
    },
  },
  {
    name: 'a batch of entities, with aliases and fragments',
    as: MDSV,
    query: `query { points: meteringPoints(mpanCores: ["1200000000420", "1400000079614", "1000000000012"]) { ...Point } }
      fragment Point on MeteringPoint { mpanCore seg: marketSegment gspGroup { id } consumption(from: "2026-03-29T00:00:00Z", to: "2026-03-29T02:00:00Z") { edges { node { value } } } }`,
    check: ({ data, errors }) => {
      expect(errors).toBeUndefined();
      const found = data.points.filter((point: unknown) => point !== null);
      expect(found.length).toBeGreaterThanOrEqual(2);
      expect(found.every((point: { seg: string; gspGroup: { id: string } }) => point.seg && point.gspGroup.id)).toBe(true);
      expect(found.some((point: { consumption: { edges: unknown[] } }) => point.consumption.edges.length > 0)).toBe(true);
    },
  },
  {
    name: '@include and @skip with variables',
    as: SUPA,
    query: `query($withData: Boolean!, $noAddress: Boolean!) { meteringPoint(mpanCore: "1200000000420") { mpanCore
      address @skip(if: $noAddress) { postcode } readings @include(if: $withData) { value readAt } } }`,
    variables: { withData: true, noAddress: true },
    check: ({ data, errors }) => {
      expect(errors).toBeUndefined();
      expect(data.meteringPoint).not.toHaveProperty('address');
      expect(data.meteringPoint.readings).toEqual(expect.any(Array));
    },
  },
  {
    name: 'null for an unknown metering point',
    as: SUPA,
    query: `{ meteringPoint(mpanCore: "1000000000012") { mpanCore } }`,
    check: (body) => expect(body).toEqual({ data: { meteringPoint: null } }),
  },
  {
    name: 'a subgraph error: a wrong check digit',
    as: SUPA,
    query: `{ meteringPoint(mpanCore: "1234567890123") { mpanCore } }`,
    check: (body) => expect(codes(body)).toEqual(['BAD_USER_INPUT']),
  },
  {
    name: 'an error inside an entity: a cursor that was never issued',
    as: SUPA,
    query: `{ meteringPoint(mpanCore: "1200000000420") { mpanCore consumption(from: "2026-10-25T00:00:00Z", to: "2026-10-26T00:00:00Z", after: "bm90LWEtY3Vyc29y") { edges { cursor } } } }`,
    check: (body) => {
      // consumption is non-null, so the refusal nulls the metering point; the error is the entity fetch's.
      expect(body.data).toEqual({ meteringPoint: null });
      expect(body.errors?.map(({ extensions }) => [extensions?.reason, extensions?.serviceName])).toEqual([
        ['INVALID_CURSOR', 'metering-data'],
      ]);
    },
  },
  {
    name: 'a settlement day across the autumn clock change',
    as: MDSV,
    query: `{ settlementDay(settlementDate: "2026-10-25") { periodCount periods { settlementPeriod localStartTime } } }`,
    check: ({ data, errors }) => {
      expect(errors).toBeUndefined();
      expect(data.settlementDay.periodCount).toBe(50);
      expect(data.settlementDay.periods).toHaveLength(50);
    },
  },
];

let stack: TestStack;
let plain: PlainGateway;
beforeAll(async () => {
  stack = await startTestStack(undefined, { accessEnforcement: false });
  const keys = await testKeys();
  plain = await startPlainGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: Object.fromEntries(stack.subgraphs.map((s) => [s.name, s.url])),
    internalContextKey: keys.security.internalContextKey,
  });
});
afterAll(async () => {
  await plain?.stop();
  await stack?.close();
});

describe('federation through ours (ACCESS=off) and through plain @apollo/gateway', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('answers identically: %s', async (_name, { as, query, variables, check }) => {
    const headers = {
      authorization: `Bearer ${await stack.token(as)}`,
      [ACTOR_ROLE_HEADER]: as.role,
      [ACTOR_PARTICIPANT_HEADER]: as.participant,
    };
    const ours = await stack.post({ query, variables }, headers);
    const response = await fetch(plain.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const theirs = { status: response.status, body: await response.json() };
    expect({ status: ours.status, body: withoutStackTraces(ours.body) }).toEqual({
      status: theirs.status,
      body: withoutStackTraces(theirs.body),
    });
    check(ours.body);
  });

  it("still authenticates and still lets the subgraphs enforce @access when the gateway's own checks are off", async () => {
    expect((await stack.post({ query: '{ gspGroups { id } }' }, {})).status).toBe(401);
    const { body } = await stack.query('{ bmUnits { id leadParty { name } } }', undefined, MDSV);
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'BmUnit.leadParty', principle: 'PRI-003b' });
    expect(JSON.stringify(body)).not.toMatch(/Aurora Energy|Staythorpe/);
  });
});
