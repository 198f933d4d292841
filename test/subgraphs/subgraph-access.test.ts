import { generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { buildDemoDataset } from '../../dev/build-dataset';
import { TEST_NOW } from '../support/test-clock';
import { subgraphs } from '../../subgraphs';
import { contextBodyHash, INTERNAL_CONTEXT_HEADER, signInternalContext } from '../../core';
import { entitiesQuery, GraphQLBody, GraphQLErrorBody, openSubgraphs, SubgraphHarness } from '../support/subgraph-inject';
import { Actor, testKeys, TestKeys } from '../support/test-keys';

// Subgraphs answer only the gateway (PRI-024: the gateway routes and filters, the subgraphs hold the data), and behind
// it they enforce every field's @access rule again, so a caller that reaches a subgraph directly learns nothing more.

const dataset = buildDemoDataset(TEST_NOW);
/** MPAN 0: SUPA's since 2025-06-01; SDSA its Smart Data Service since then. */
const first = dataset.meteringPoints[0];
/** MPAN 4: a traditional meter with an OPEN read request for MRSA, so the Meter Reading Service may see it. */
const traditional = dataset.meteringPoints[4];
const RUN_ID = 'RUN-2026-10-25-SF';

const RS: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' };
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const MRS: Actor = { role: 'METER_READING_SERVICE', participant: 'MRSA' };
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
/** Supplier of MPAN 7, whose missing periods are the run's MISSING_DATA exceptions. */
const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };

let harness: SubgraphHarness;
let keys: TestKeys;

beforeAll(async () => {
  harness = await openSubgraphs();
  keys = await testKeys();
});

afterAll(async () => {
  await harness.close();
});

interface Operation {
  query: string;
  variables?: Record<string, unknown>;
}

/** Sends an operation straight to a subgraph's /graphql with exactly the headers given: no context is added. */
async function post(subgraph: string, operation: Operation, headers: Record<string, string> = {}) {
  const response = await harness
    .app(subgraph)
    .inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: body(operation) });
  return { status: response.statusCode, body: response.json<GraphQLBody>() };
}

/** The exact body `post` sends, which a context is bound to. */
const body = (operation: Operation) => JSON.stringify(operation);

/** The header carrying `token` as the internal context. */
const contextHeader = (token: string) => ({ [INTERNAL_CONTEXT_HEADER]: token });

/** Expects a 401 whose only error is UNAUTHENTICATED with a message containing `message`, and no data at all. */
function expectUnauthenticated(response: { status: number; body: GraphQLBody }, message: string) {
  expect(response.status).toBe(401);
  expect(response.body).not.toHaveProperty('data');
  expect(response.body.errors).toEqual([
    { message: expect.stringContaining(message), extensions: { code: 'UNAUTHENTICATED', reason: expect.stringMatching(/^CONTEXT_/) } },
  ]);
}

/** A response's errors without locations, ordered by field so parallel resolution cannot reorder them. */
const errorsOf = (body: GraphQLBody) =>
  (body.errors ?? [])
    .map(({ message, path, extensions }: GraphQLErrorBody) => ({ message, path, extensions }))
    .sort((a, b) => String(a.extensions?.field).localeCompare(String(b.extensions?.field)));

/** A FORBIDDEN refusal of `field` for `role` at `path`, citing `principle`. */
const forbidden = (field: string, role: string, principle: string, path: (string | number)[]) => ({
  message: `${field} is not available to ${role} (${principle})`,
  path,
  extensions: { code: 'FORBIDDEN', field, principle },
});

/** Every subgraph resolves MeteringPoint from its key. */
const meteringPointEntity: Operation = {
  query: entitiesQuery('MeteringPoint', 'mpanCore'),
  variables: { r: [{ __typename: 'MeteringPoint', mpanCore: first.mpanCore }] },
};

/** A root query of each subgraph that answers with data for the role given. */
const rootQueries: Record<string, { as: Actor; request: Operation }> = {
  registration: { as: RS, request: { query: '{ gspGroups { id } }' } },
  'metering-data': { as: SDSA, request: { query: `{ readRequest(id: "RR-${traditional.mpanCore}-2") { id } }` } },
  appointment: { as: RS, request: { query: `{ appointment(id: "APT-${first.mpanCore}-DS1") { id } }` } },
  settlement: { as: RS, request: { query: '{ settlementDay(settlementDate: "2026-10-25") { periodCount } }' } },
};

/** For each subgraph: a root query, `_entities` and `_service`, each with a role that may read what it asks. */
const operations: { subgraph: string; operation: string; as: Actor; request: Operation }[] = subgraphs.flatMap(({ name }) => [
  { subgraph: name, operation: 'a root query', ...rootQueries[name] },
  { subgraph: name, operation: '_entities', as: RS, request: meteringPointEntity },
  { subgraph: name, operation: '_service', as: RS, request: { query: '{ _service { sdl } }' } },
]);

describe("a subgraph answers only requests carrying the gateway's signed context (PRI-024)", () => {
  it('has a root query for every subgraph', () => {
    expect(Object.keys(rootQueries).sort()).toEqual(subgraphs.map(({ name }) => name).sort());
  });

  it.each(operations)(
    'answers $operation on $subgraph with a valid context, and without x-mhhs-context refuses it with HTTP 401 UNAUTHENTICATED and no data',
    async ({ subgraph, as, request }) => {
      const allowed = await post(
        subgraph,
        request,
        contextHeader(await keys.internalContext(as, { audience: subgraph, body: body(request) })),
      );
      expect(allowed.status).toBe(200);
      expect(allowed.body.errors).toBeUndefined();
      // Every root value is there, and for _entities every entity too (a list of nulls would pass the first check).
      const values = Object.values(allowed.body.data ?? {});
      expect(values.length).toBeGreaterThan(0);
      expect(values.flat().every((value) => value !== null)).toBe(true);

      expectUnauthenticated(await post(subgraph, request), `missing ${INTERNAL_CONTEXT_HEADER} header`);
    },
  );

  it.each(subgraphs.map(({ name }) => name))('refuses on %s a context signed with another Ed25519 key with HTTP 401', async (subgraph) => {
    const { privateKey: foreignKey } = await generateKeyPair('EdDSA');
    const request = { query: '{ _service { sdl } }' };
    const forged = await signInternalContext(
      foreignKey,
      { participant: 'RSVC', role: 'REGISTRATION_SERVICE', requestId: 'forged', now: TEST_NOW },
      { audience: subgraph, body: body(request) },
    );
    expectUnauthenticated(await post(subgraph, request, contextHeader(forged)), 'signature does not verify');
  });

  it('refuses an expired context with HTTP 401, while the same claims unexpired are accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Signed with the gateway's real key, so only the lifetime differs; expired well beyond the 2 s clock tolerance.
    const request: Operation = { query: '{ gspGroups { id } }' };
    const signed = (iat: number, exp: number) => contextToken(keys.keys.internalContext.privateKey, RS, body(request), iat, exp);

    const fresh = await post('registration', request, contextHeader(await signed(now, now + 60)));
    expect(fresh.status).toBe(200);
    expect(fresh.body.data.gspGroups.length).toBeGreaterThan(0);

    expectUnauthenticated(
      await post('registration', request, contextHeader(await signed(now - 600, now - 60))),
      'internal context expired',
    );
  });

  it("refuses a user's bearer token passed as the context, or sent alone, with HTTP 401", async () => {
    // A real token of this run's dev key: the gateway would accept it, a subgraph must not.
    const token = await keys.token(RS);
    const request: Operation = { query: '{ gspGroups { id } }' };
    expectUnauthenticated(await post('registration', request, contextHeader(token)), 'internal context');
    expectUnauthenticated(
      await post('registration', request, { authorization: `Bearer ${token}` }),
      `missing ${INTERNAL_CONTEXT_HEADER} header`,
    );
  });
});

describe('defence in depth: a subgraph called directly with a valid context still refuses the fields the role may not read', () => {
  /**
   * Asks twice: mercurius JIT-compiles an operation after its first run, and the compiled path must refuse too. Each
   * request selects one refused field, because graphql-js stops at the first refused non-null field and graphql-jit
   * does not, so with several they would report different errors for the same refusal.
   */
  const twice = async (subgraph: string, query: string, variables: Record<string, unknown> | undefined, as: Actor) => {
    const runs: GraphQLBody[] = [];
    for (let run = 0; run < 2; run++) runs.push(await harness.query(subgraph, query, variables, as));
    expect(runs[1]).toEqual(runs[0]);
    return runs[0];
  };

  describe("the Market-wide Data Service asking settlement for a BM unit's CRA attributes through _entities (PRI-003b)", () => {
    const unit = { r: [{ __typename: 'BmUnit', id: 'T_STAY-2' }] };
    const stay = dataset.bmUnits.find((u) => u.id === 'T_STAY-2')!;

    it('may read the unit itself, so a refusal is about the attributes and not the row', async () => {
      expect(await harness.query('settlement', entitiesQuery('BmUnit', 'id kind gspGroup { id }'), unit, MDS)).toEqual({
        data: { _entities: [{ id: 'T_STAY-2', kind: 'DIRECTLY_CONNECTED', gspGroup: { id: '_E' } }] },
      });
    });

    it.each([
      { field: 'leadParty', selection: 'id leadParty { id }', secret: stay.leadPartyId },
      {
        field: 'creditAssessmentLoadFactor',
        selection: 'id creditAssessmentLoadFactor',
        secret: stay.creditAssessmentLoadFactor.replace(/0+$/, ''),
      },
    ])('gets FORBIDDEN for BmUnit.$field citing PRI-003b, and no value', async ({ field, selection, secret }) => {
      const body = await twice('settlement', entitiesQuery('BmUnit', selection), unit, MDS);
      expect(body.data).toEqual({ _entities: [null] });
      expect(errorsOf(body)).toEqual([forbidden(`BmUnit.${field}`, 'MARKET_WIDE_DATA_SERVICE', 'PRI-003b', ['_entities', 0, field])]);
      expect(JSON.stringify(body)).not.toContain(secret);
    });
  });

  describe('the Market-wide Data Service asking settlement for a BSC party through _entities, a type it may not read at all (PRI-003b)', () => {
    it('gets FORBIDDEN naming the type, and no field of it: a type check at the entry, not only per field', async () => {
      const party = dataset.bmUnits.find((u) => u.id === 'T_STAY-2')!.leadPartyId;
      const body = await twice('settlement', entitiesQuery('BscParty', 'id name'), { r: [{ __typename: 'BscParty', id: party }] }, MDS);
      // _entities is non-null, so its refusal nulls the whole answer.
      expect(body.data).toBeNull();
      expect(errorsOf(body)).toEqual([forbidden('BscParty', 'MARKET_WIDE_DATA_SERVICE', 'PRI-003b', ['_entities'])]);
      expect(JSON.stringify(body)).not.toContain(dataset.bscParties.find((p) => p.id === party)!.name);
    });

    it('while a role that may read BSC parties gets the party', async () => {
      const party = dataset.bmUnits.find((u) => u.id === 'T_STAY-2')!.leadPartyId;
      const body = await harness.query(
        'settlement',
        entitiesQuery('BscParty', 'id name'),
        { r: [{ __typename: 'BscParty', id: party }] },
        SUPB,
      );
      expect(body).toEqual({ data: { _entities: [{ id: party, name: dataset.bscParties.find((p) => p.id === party)!.name }] } });
    });
  });

  describe("the Meter Reading Service asking metering-data for a metering point's reads, where it has an open read request (PRI-006)", () => {
    const point = { r: [{ __typename: 'MeteringPoint', mpanCore: traditional.mpanCore }] };

    it('may read the metering point and its open read request, so a refusal is about historic reads and not the row', async () => {
      expect(
        await harness.query('metering-data', entitiesQuery('MeteringPoint', 'mpanCore readRequests(status: OPEN) { id }'), point, MRS),
      ).toEqual({
        data: { _entities: [{ mpanCore: traditional.mpanCore, readRequests: [{ id: `RR-${traditional.mpanCore}-2` }] }] },
      });
    });

    it.each(['readingHistory', 'readings'])('gets FORBIDDEN for MeteringPoint.%s citing PRI-006, and no reading', async (field) => {
      const body = await twice('metering-data', entitiesQuery('MeteringPoint', `mpanCore ${field} { value readAt }`), point, MRS);
      expect(body.data).toEqual({ _entities: [null] });
      expect(errorsOf(body)).toEqual([forbidden(`MeteringPoint.${field}`, 'METER_READING_SERVICE', 'PRI-006', ['_entities', 0, field])]);
      for (const reading of dataset.readings.filter((r) => r.mpanCore === traditional.mpanCore)) {
        expect(JSON.stringify(body)).not.toContain(reading.readAt.toISOString());
      }
    });
  });

  it('refuses a supplier the exception detail of a settlement run, which it may see only as counts (PRI-009)', async () => {
    // SUPB may read the run and its own exception counts: the refusal below is about the detail.
    const summary = await harness.query(
      'settlement',
      `{ settlementRun(id: "${RUN_ID}") { id exceptionSummary { supplier { id } exceptionType count } } }`,
      undefined,
      SUPB,
    );
    expect(summary.errors).toBeUndefined();
    expect(summary.data.settlementRun.exceptionSummary).toEqual(
      expect.arrayContaining([{ supplier: { id: 'SUPB' }, exceptionType: 'MISSING_DATA', count: 3 }]),
    );

    const body = await twice('settlement', `{ settlementRun(id: "${RUN_ID}") { id exceptions { id mpanCore detail } } }`, undefined, SUPB);
    expect(body.data).toEqual({ settlementRun: null });
    expect(errorsOf(body)).toEqual([forbidden('SettlementRun.exceptions', 'SUPPLIER', 'PRI-009', ['settlementRun', 'exceptions'])]);
    expect(JSON.stringify(body)).not.toContain('No data received');
  });
});

/** An internal context for `registration` with the claims `signInternalContext` writes, but the times given (seconds). */
function contextToken(key: KeyLike, actor: Actor, requestBody: string, iat: number, exp: number): Promise<string> {
  return new SignJWT({ role: actor.role, requestId: 'test', now: TEST_NOW.toISOString(), bh: contextBodyHash(requestBody) })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'mhhs-context+jwt' })
    .setSubject(actor.participant)
    .setIssuer('mhhs-gateway')
    .setAudience('registration')
    .setJti(`test-${iat}-${exp}`)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
}

describe('row scope of the Market-wide Data Service, a central service that sees every row', () => {
  it('sees every appointment of a metering point, as the Registration Service does, not only those naming it as provider', async () => {
    const history = entitiesQuery('MeteringPoint', 'appointmentHistory { id }');
    const point = { r: [{ __typename: 'MeteringPoint', mpanCore: first.mpanCore }] };
    const asRegistrationService = await harness.query('appointment', history, point, RS);
    const ids = asRegistrationService.data._entities[0].appointmentHistory.map((a: { id: string }) => a.id);
    expect([...ids].sort()).toEqual(
      dataset.appointments
        .filter((a) => a.mpanCore === first.mpanCore)
        .map((a) => a.id)
        .sort(),
    );
    expect(await harness.query('appointment', history, point, MDS)).toEqual(asRegistrationService);
  });
});
