import { Client } from 'pg';
import { isInterfaceType } from 'graphql';
import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT, type JWTPayload } from 'jose';
import type { MarketRole } from '../../../core';
import { createTestDatabase } from '../../support/test-database';
import { testKeys, type Actor } from '../../support/test-keys';
import { startTestStack, TestStack } from '../../support/test-stack';
import { API_SCHEMA, mpanAt, operationHash, RUN_ID, UNREGISTERED_MPAN } from './support/access-fixtures';

// Attacks through the gateway, each named after the principle it tries to break: other routes to a denied field
// (aliases, fragments, directives, other paths, introspection, federation internals), other suppliers' rows, and
// forged, expired or misused tokens.

const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const MRSA: Actor = { role: 'METER_READING_SERVICE', participant: 'MRSA' };
/** A second meter reading service with open read requests of its own (seeded below). */
const MRSB: Actor = { role: 'METER_READING_SERVICE', participant: 'MRSB' };
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
const SDSB: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSB' };

const MPAN_0 = mpanAt(0); // SUPA from 2025-06-01, SUPB before
const MPAN_1 = mpanAt(1); // SUPB's
const MPAN_5 = mpanAt(5); // smart, comms fault: RR-<mpan>-1 FULFILLED and RR-<mpan>-2 OPEN, both for MRSA
const OPEN_READ_REQUEST = `RR-${MPAN_5}-2`;
const FULFILLED_READ_REQUEST = `RR-${MPAN_5}-1`;
const OTHER_MRS_READ_REQUEST = `RR-MRSB-${MPAN_5}`;

/** The CRA attributes of a BM unit (PRI-003b), with the sub-selection each needs. */
const CRA_ATTRIBUTES: [field: string, subselection: string][] = [
  ['leadParty', ' { id }'],
  ['creditAssessmentLoadFactor', ''],
  ['generationCapacityMw', ''],
  ['demandCapacityMw', ''],
  ['tradingUnit', ''],
  ['effectiveFrom', ''],
  ['effectiveTo', ''],
];

type Route = (field: string, subselection: string) => { query: string; variables?: Record<string, unknown> };

/** Every way of asking for a BM unit field: each is refused before anything runs, whatever the variables say. */
const CRA_ROUTES: [route: string, build: Route][] = [
  ['directly', (f, sub) => ({ query: `{ bmUnits { id ${f}${sub} } }` })],
  ['through an alias', (f, sub) => ({ query: `{ bmUnits { id x: ${f}${sub} } }` })],
  ['through a named fragment', (f, sub) => ({ query: `query { bmUnits { ...Cra } } fragment Cra on BmUnit { ${f}${sub} }` })],
  ['through an inline fragment', (f, sub) => ({ query: `{ bmUnits { ... on BmUnit { ${f}${sub} } } }` })],
  ['through an inline fragment without a type condition', (f, sub) => ({ query: `{ bmUnits { ... { ${f}${sub} } } }` })],
  [
    'through a fragment on the parent (Query)',
    (f, sub) => ({ query: `query { ...Units } fragment Units on Query { bmUnits { ${f}${sub} } }` }),
  ],
  [
    'under @include(if: $yes) with yes = true',
    (f, sub) => ({ query: `query($yes: Boolean!) { bmUnits { id ${f} @include(if: $yes)${sub} } }`, variables: { yes: true } }),
  ],
  [
    'under @include(if: $yes) with yes = false',
    (f, sub) => ({ query: `query($yes: Boolean!) { bmUnits { id ${f} @include(if: $yes)${sub} } }`, variables: { yes: false } }),
  ],
  [
    'under @skip(if: $no) with no = false',
    (f, sub) => ({ query: `query($no: Boolean!) { bmUnits { id ${f} @skip(if: $no)${sub} } }`, variables: { no: false } }),
  ],
  [
    'under @skip(if: $no) with no = true',
    (f, sub) => ({ query: `query($no: Boolean!) { bmUnits { id ${f} @skip(if: $no)${sub} } }`, variables: { no: true } }),
  ],
  [
    'through meteringPoint { bmUnitAllocation { bmUnit } }',
    (f, sub) => ({ query: `{ meteringPoint(mpanCore: "${MPAN_5}") { bmUnitAllocation { bmUnit { ${f}${sub} } } } }` }),
  ],
  [
    'through settlementRun { aggregatedVolumes { bmUnit } }',
    (f, sub) => ({ query: `{ settlementRun(id: "${RUN_ID}") { aggregatedVolumes { bmUnit { ${f}${sub} } } } }` }),
  ],
];

let stack: TestStack;
/** Every token this file sent: none may come back in a response body or the audit log. */
const tokensSent = new Set<string>();
/** Every response text this file received. */
const responseTexts: string[] = [];

/** POSTs as `actor` with a real token (and any extra headers), remembering the token and the response. */
async function ask(actor: Actor, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const token = await stack.token(actor);
  return send({ query, variables }, { authorization: `Bearer ${token}`, ...headers }, token);
}

async function send(body: unknown, headers: Record<string, string>, token?: string) {
  if (token) tokensSent.add(token);
  const response = await stack.post(body, headers);
  responseTexts.push(response.text);
  return response;
}

/**
 * The (code, field) of each error, sorted by field: what a refusal says. A field the role may not read is refused as
 * one that does not exist (issue 11, item 5): graphql-js's "Cannot query field" naming it; the principle is in the
 * audit log only.
 */
function refusals(body: any): { code: unknown; field: unknown }[] {
  return ((body?.errors ?? []) as { message: string; extensions?: Record<string, unknown> }[])
    .map(({ message, extensions }) => {
      const unknown = /^Cannot query field "([^"]+)" on type "([^"]+)"\.$/.exec(message);
      return { code: extensions?.code, field: unknown ? `${unknown[2]}.${unknown[1]}` : message };
    })
    .sort((a, b) => String(a.field).localeCompare(String(b.field)));
}

/** The principles the audit log cites for the latest access refusal: where the security group reads the reason. */
function auditedPrinciples(): string[] {
  const last = stack.auditLog.filter((entry) => entry.event === 'access_refused').at(-1);
  return last && 'principles' in last ? last.principles : [];
}

/** Seeds what the demo lacks: a second meter reading service's open read request, and consumption either side of
 * metering point 0's change of supplier (SUPB until 2025-06-01, SUPA from then). */
async function seed(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO metering_data.read_request (id, mpan_core, meter_id, reason, status, meter_reading_service_id, requested_at, due_by)
       VALUES ($1, $2, $3, 'SMART_COMMS_FAULT', 'OPEN', 'MRSB', '2026-11-21T09:00:00Z', '2026-12-05T17:00:00Z')`,
      // A second meter at the same point: one open request per meter (metering-data migration 020).
      [OTHER_MRS_READ_REQUEST, MPAN_5, `N${MPAN_5.slice(2, 12)}`],
    );
    await client.query(
      `INSERT INTO metering_data.consumption_interval
         (mpan_core, quantity, utc_start, version, period_minutes, value, quality, estimation_method, data_service_id, received_at)
       VALUES ($1, 'ACTIVE_IMPORT', '2025-05-31T10:00:00Z', 1, 30, 0.531, 'ACTUAL', NULL, 'SDSB', '2025-06-01T06:00:00Z'),
              ($1, 'ACTIVE_IMPORT', '2025-06-01T10:00:00Z', 1, 30, 0.601, 'ACTUAL', NULL, 'SDSA', '2025-06-02T06:00:00Z')`,
      [MPAN_0],
    );
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const database = await createTestDatabase('demo');
  try {
    await seed(database.url);
    stack = await startTestStack(database);
  } catch (error) {
    await database.drop();
    throw error;
  }
});
afterAll(() => stack?.close());

describe('PRI-003b: MARKET_WIDE_DATA_SERVICE cannot obtain any CRA attribute by any route', () => {
  const cases = CRA_ATTRIBUTES.flatMap(([field, subselection]) =>
    CRA_ROUTES.map(([route, build]) => [`BmUnit.${field} ${route}`, field, build(field, subselection)] as const),
  );

  it.each(cases)('MARKET_WIDE_DATA_SERVICE is refused %s (PRI-003b)', async (_name, field, { query, variables }) => {
    const { status, body } = await ask(MDS, query, variables);
    expect({ status, data: body.data }).toEqual({ status: 400, data: undefined });
    expect(refusals(body)).toContainEqual({ code: 'GRAPHQL_VALIDATION_FAILED', field: `BmUnit.${field}` });
    expect(refusals(body).every((refusal) => refusal.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    expect(auditedPrinciples()).toContain('PRI-003b');
  });

  it('MARKET_WIDE_DATA_SERVICE is refused the BSC parties (PRI-003b), also through a lead party', async () => {
    const direct = await ask(MDS, '{ bscParties { id name } }');
    expect({ status: direct.status, data: direct.body.data }).toEqual({ status: 400, data: undefined });
    expect(refusals(direct.body)).toContainEqual({ code: 'GRAPHQL_VALIDATION_FAILED', field: 'Query.bscParties' });
    const viaUnit = await ask(MDS, '{ bmUnits { leadParty { name bmUnits { tradingUnit } } } }');
    expect(viaUnit.status).toBe(400);
    // As for a field that does not exist, nothing below the first unknown field is looked at (or named).
    expect(refusals(viaUnit.body).map((r) => r.field)).toEqual(['BmUnit.leadParty']);
    const audited = stack.auditLog.at(-1) as { fields: string[] };
    expect([...audited.fields].sort()).toEqual(['BmUnit.leadParty', 'BmUnit.tradingUnit', 'BscParty.bmUnits', 'BscParty.name']);
  });

  it('MARKET_WIDE_DATA_SERVICE still reads the non-CRA identity of BM units (id, kind, GSP group)', async () => {
    const { status, body } = await ask(MDS, '{ bmUnits { id kind gspGroup { id } } }');
    expect(status).toBe(200);
    expect(body.data.bmUnits).toContainEqual({ id: 'T_STAY-2', kind: 'DIRECTLY_CONNECTED', gspGroup: { id: '_E' } });
  });

  const SCHEMA_SELECTION = '{ queryType { fields { name } } types { name fields { name } } }';
  const CRA_NAMES = [
    'BscParty',
    'QualificationStatus',
    'bscParties',
    'leadParty',
    'creditAssessmentLoadFactor',
    'generationCapacityMw',
    'demandCapacityMw',
    'tradingUnit',
    'partyRoles',
    'qualificationStatus',
  ];

  it.each([
    ['plainly', `{ __schema ${SCHEMA_SELECTION} }`, (data: any) => data.__schema],
    ['under an alias', `{ s: __schema ${SCHEMA_SELECTION} }`, (data: any) => data.s],
    [
      'inside a fragment',
      `query { ...Everything } fragment Everything on Query { __schema ${SCHEMA_SELECTION} }`,
      (data: any) => data.__schema,
    ],
  ])('MARKET_WIDE_DATA_SERVICE introspecting %s sees no CRA type or field (PRI-003b)', async (_how, query, schemaOf) => {
    const { status, body } = await ask(MDS, query);
    expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
    const schema = schemaOf(body.data) as { types: { name: string; fields: { name: string }[] | null }[] };
    const names = schema.types.flatMap((type) => [type.name, ...(type.fields ?? []).map((field) => field.name)]);
    expect(names.filter((name) => CRA_NAMES.includes(name))).toEqual([]);
    expect(schema.types.find((type) => type.name === 'BmUnit')?.fields).toEqual([{ name: 'id' }, { name: 'kind' }, { name: 'gspGroup' }]);
    // Other denied data is gone too: the introspection is the role's own schema, not the API schema.
    expect(names).not.toContain('Address');
  });

  it('MARKET_WIDE_DATA_SERVICE gets null for __type(name: "BscParty") and only the non-CRA fields of BmUnit (PRI-003b)', async () => {
    const { status, body } = await ask(
      MDS,
      '{ party: __type(name: "BscParty") { name fields { name } } unit: __type(name: "BmUnit") { fields { name } } }',
    );
    expect(status).toBe(200);
    expect(body).toEqual({ data: { party: null, unit: { fields: [{ name: 'id' }, { name: 'kind' }, { name: 'gspGroup' }] } } });
  });

  it('an audit entry names MDSV, its role, the operation hash, the fields and PRI-003b, and never the token (PRI-003b)', async () => {
    const query = 'query CraProbe { bmUnits { id leadParty { name } } }';
    const token = await stack.token(MDS);
    const before = stack.auditLog.length;
    const { status } = await send({ query, operationName: 'CraProbe' }, { authorization: `Bearer ${token}` }, token);
    expect(status).toBe(400);
    const entries = stack.auditLog.slice(before);
    expect(entries).toEqual([
      {
        event: 'access_refused',
        at: expect.any(String),
        requestId: expect.any(String),
        participant: 'MDSV',
        role: 'MARKET_WIDE_DATA_SERVICE',
        operationName: 'CraProbe',
        operationHash: operationHash(query),
        fields: ['BmUnit.leadParty', 'BscParty.name'],
        principles: ['PRI-003b'],
      },
    ]);
    expect(JSON.stringify(entries)).not.toContain(token);
  });
});

describe('PRI-006: METER_READING_SERVICE cannot obtain historic readings', () => {
  it.each([
    ['readings', 'MeteringPoint.readings'],
    ['readingHistory', 'MeteringPoint.readingHistory'],
    ['standingDataHistory', 'MeteringPoint.standingDataHistory'],
    ['supplierRegistrations', 'MeteringPoint.supplierRegistrations'],
    ['appointmentHistory', 'MeteringPoint.appointmentHistory'],
  ])('METER_READING_SERVICE is refused %s (PRI-006)', async (name, field) => {
    // Only __typename below the field, so the refusal is about the field alone.
    const { status, body } = await ask(MRSA, `{ meteringPoint(mpanCore: "${MPAN_5}") { mpanCore ${name} { __typename } } }`);
    expect({ status, data: body.data, refusals: refusals(body) }).toEqual({
      status: 400,
      data: undefined,
      refusals: [{ code: 'GRAPHQL_VALIDATION_FAILED', field }],
    });
    expect(auditedPrinciples()).toEqual(['PRI-006']);
  });

  it('METER_READING_SERVICE is refused the versions of an interval (PRI-006)', async () => {
    const { status, body } = await ask(
      MRSA,
      `{ meteringPoint(mpanCore: "${MPAN_5}") { consumption(from: "2026-10-25T00:00:00Z", to: "2026-10-25T01:00:00Z") { edges { node { versions { value } } } } } }`,
    );
    expect({ status, data: body.data }).toEqual({ status: 400, data: undefined });
    // The role's schema has no consumption at all for it, so that is the field named; the audit names the versions.
    expect(refusals(body)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', field: 'MeteringPoint.consumption' }]);
    expect((stack.auditLog.at(-1) as { fields: string[] }).fields).toContain('ConsumptionInterval.versions');
  });

  it('METER_READING_SERVICE sees its open read request by id', async () => {
    const { status, body } = await ask(
      MRSA,
      `{ readRequest(id: "${OPEN_READ_REQUEST}") { id mpanCore status reason meterReadingService { id } } }`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        readRequest: {
          id: OPEN_READ_REQUEST,
          mpanCore: MPAN_5,
          status: 'OPEN',
          reason: 'SMART_COMMS_FAULT',
          meterReadingService: { id: 'MRSA' },
        },
      },
    });
  });

  it("METER_READING_SERVICE sees only its own open read request on the metering point, not the fulfilled one nor another service's", async () => {
    const { status, body } = await ask(
      MRSA,
      `{ meteringPoint(mpanCore: "${MPAN_5}") { readRequests { id status } fulfilled: readRequests(status: FULFILLED) { id } } }`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({ data: { meteringPoint: { readRequests: [{ id: OPEN_READ_REQUEST, status: 'OPEN' }], fulfilled: [] } } });
  });

  it.each([
    ['its fulfilled read request', FULFILLED_READ_REQUEST],
    ["another meter reading service's open read request", OTHER_MRS_READ_REQUEST],
  ])('METER_READING_SERVICE gets null for %s, exactly as for one that does not exist', async (_name, id) => {
    const query = 'query($id: ID!) { readRequest(id: $id) { id status } }';
    const hidden = await ask(MRSA, query, { id });
    const missing = await ask(MRSA, query, { id: 'RR-NO-SUCH-REQUEST' });
    expect(hidden.body).toEqual({ data: { readRequest: null } });
    expect(hidden.body).toEqual(missing.body);
  });

  it('the other meter reading service does see its own read request (so the refusal above is scoping, not missing data)', async () => {
    const { body } = await ask(MRSB, `{ readRequest(id: "${OTHER_MRS_READ_REQUEST}") { id status } }`);
    expect(body).toEqual({ data: { readRequest: { id: OTHER_MRS_READ_REQUEST, status: 'OPEN' } } });
  });
});

describe('row scope: a supplier or data service reads only its own metering points, for its own periods', () => {
  const POINT = `query($m: MpanCore!) { meteringPoint(mpanCore: $m) { mpanCore address { line1 } meters { meterId } readings { value }
    consumption(from: "2026-10-25T00:00:00Z", to: "2026-10-26T00:00:00Z") { edges { cursor } } currentAppointments { id } } }`;

  it("SUPA gets null for SUPB's metering point, exactly as for one nobody registered", async () => {
    const other = await ask(SUPA, POINT, { m: MPAN_1 });
    const unregistered = await ask(SUPA, POINT, { m: UNREGISTERED_MPAN });
    expect(other.body).toEqual({ data: { meteringPoint: null } });
    expect(other).toEqual(unregistered);
  });

  it("SUPA gets null for SUPB's metering point in meteringPoints too, and its own", async () => {
    const { body } = await ask(SUPA, `{ meteringPoints(mpanCores: ["${MPAN_1}", "${UNREGISTERED_MPAN}", "${MPAN_0}"]) { mpanCore } }`);
    expect(body).toEqual({ data: { meteringPoints: [null, null, { mpanCore: MPAN_0 }] } });
  });

  it("SUPA gets null for an appointment on SUPB's metering point, exactly as for one that does not exist", async () => {
    const query = 'query($id: ID!) { appointment(id: $id) { id contractReference } }';
    const other = await ask(SUPA, query, { id: `APT-${MPAN_1}-DS1` });
    const missing = await ask(SUPA, query, { id: 'APT-NO-SUCH-APPOINTMENT' });
    expect(other.body).toEqual({ data: { appointment: null } });
    expect(other.body).toEqual(missing.body);
  });

  it("SUPA sees only its own supplier registration of metering point 0, not SUPB's earlier one", async () => {
    const { body } = await ask(
      SUPA,
      `{ meteringPoint(mpanCore: "${MPAN_0}") { supplierRegistrations { supplier { id } effectiveFrom effectiveTo } } }`,
    );
    expect(body).toEqual({
      data: { meteringPoint: { supplierRegistrations: [{ supplier: { id: 'SUPA' }, effectiveFrom: '2025-06-01', effectiveTo: null }] } },
    });
  });

  const AROUND_THE_SWITCH = `{ meteringPoint(mpanCore: "${MPAN_0}") { consumption(from: "2025-05-31T00:00:00Z", to: "2025-06-02T00:00:00Z") { edges { node { utcStart value } } } } }`;

  it('SUPA gets no consumption of metering point 0 from before its registration began (2025-06-01)', async () => {
    const { body } = await ask(SUPA, AROUND_THE_SWITCH);
    expect(body).toEqual({
      data: { meteringPoint: { consumption: { edges: [{ node: { utcStart: '2025-06-01T10:00:00.000Z', value: '0.601' } }] } } },
    });
  });

  it("SUPB, the former supplier, gets only metering point 0's consumption from its own registration period", async () => {
    const { body } = await ask(SUPB, AROUND_THE_SWITCH);
    expect(body).toEqual({
      data: { meteringPoint: { consumption: { edges: [{ node: { utcStart: '2025-05-31T10:00:00.000Z', value: '0.531' } }] } } },
    });
  });

  // Metering point 0 was supplied by SUPB, with SDSB its smart data service, until 2025-06-01; every demo reading is
  // from 2026, so none belongs to their period.
  it.each([
    ['SUPB, the former supplier,', 'readings', SUPB],
    ['SUPB, the former supplier,', 'readingHistory', SUPB],
    ['SDSB, the former smart data service,', 'readings', SDSB],
    ['SDSB, the former smart data service,', 'readingHistory', SDSB],
  ])("%s gets none of metering point 0's %s taken after its period ended (2025-06-01)", async (_who, field, actor) => {
    const { status, body } = await ask(actor, `{ meteringPoint(mpanCore: "${MPAN_0}") { ${field} { readAt } } }`);
    expect(status).toBe(200);
    const readAts = ((body.data?.meteringPoint?.[field] ?? []) as { readAt: string }[]).map((reading) => reading.readAt);
    expect(readAts.filter((readAt) => readAt >= '2025-06-01')).toEqual([]);
  });

  it("SUPA sees only its own aggregated volumes, and none when it asks for another supplier's (PRI-009)", async () => {
    const { body } = await ask(
      SUPA,
      `{ settlementRun(id: "${RUN_ID}") { all: aggregatedVolumes { supplier { id } } other: aggregatedVolumes(supplierId: "SUPB") { supplier { id } } } }`,
    );
    const suppliers = new Set((body.data.settlementRun.all as { supplier: { id: string } }[]).map((volume) => volume.supplier.id));
    expect([...suppliers]).toEqual(['SUPA']);
    expect(body.data.settlementRun.other).toEqual([]);
  });

  it('SUPA sees only its own exception counts (PRI-009)', async () => {
    const { body } = await ask(SUPA, `{ settlementRun(id: "${RUN_ID}") { exceptionSummary { supplier { id } exceptionType count } } }`);
    expect(body.data.settlementRun.exceptionSummary.length).toBeGreaterThan(0);
    expect(new Set(body.data.settlementRun.exceptionSummary.map((count: { supplier: { id: string } }) => count.supplier.id))).toEqual(
      new Set(['SUPA']),
    );
  });

  it('SUPA is refused the exceptions in detail (PRI-009)', async () => {
    const { status, body } = await ask(SUPA, `{ settlementRun(id: "${RUN_ID}") { id exceptions { id detail } } }`);
    expect({ status, data: body.data }).toEqual({ status: 400, data: undefined });
    expect(refusals(body)).toContainEqual({ code: 'GRAPHQL_VALIDATION_FAILED', field: 'SettlementRun.exceptions' });
  });
});

describe('no suggestions: an error never names a field the caller did not write', () => {
  it.each([
    ['a denied field (leadPart for leadParty)', '{ bmUnits { leadPart } }'],
    ['a denied root field (bscPartie for bscParties)', '{ bscPartie { id } }'],
    ['a readable field (gspGrou for gspGroup)', '{ bmUnits { gspGrou { id } } }'],
  ])('MARKET_WIDE_DATA_SERVICE misspelling %s gets no "Did you mean" and no other field name', async (_name, query) => {
    const { status, body, text } = await ask(MDS, query);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(text).not.toMatch(/Did you mean/i);
    // Only names the caller wrote itself may appear: every other field name of the API schema would be a hint.
    const fieldNames = new Set(
      Object.values(API_SCHEMA.getTypeMap())
        .filter((type) => !type.name.startsWith('__'))
        .flatMap((type) => ('getFields' in type ? Object.keys(type.getFields()) : [])),
    );
    const hinted = [...fieldNames].filter(
      (name) => body.errors[0].message.includes(`"${name}"`) && !new RegExp(`\\b${name}\\b`).test(query),
    );
    expect({ message: body.errors[0].message, hinted }).toEqual({ message: body.errors[0].message, hinted: [] });
  });
});

describe('a document the gateway cannot pick an operation from', () => {
  it('gets Apollo\'s own "must provide operation name" error with enforcement on, as with it off, not a crash', async () => {
    const { status, body, text } = await ask(SUPA, 'query A { gspGroups { id } } query B { gspGroups { name } }');
    expect(status).toBe(500);
    expect(body.errors.map((error: { message: string }) => error.message)).toEqual([
      'Must provide operation name if query contains multiple operations.',
    ]);
    expect(text).not.toMatch(/selectionSet|TypeError/);
  });

  it('answers what Apollo cannot read with the codes the README lists', async () => {
    const token = await stack.token(SUPA);
    const codeOf = async (body: unknown) => {
      const response = await send(body, { authorization: `Bearer ${token}` });
      return [response.status, response.body.errors?.[0]?.extensions?.code];
    };
    expect(await codeOf({ query: '{ gspGroups { id }' })).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
    expect(await codeOf({})).toEqual([400, 'BAD_REQUEST']);
    // An operation name that picks no operation is refused by @apollo/gateway itself, with a 500 as in plain Apollo.
    expect(await codeOf({ query: 'query A { gspGroups { id } }', operationName: 'B' })).toEqual([500, 'INVALID_GRAPHQL']);
    expect(await codeOf({ query: 'query A { gspGroups { id } } query B { gspGroups { name } }' })).toEqual([500, 'INVALID_GRAPHQL']);
  });

  it('still refuses a denied field in any operation of the document, named or not', async () => {
    const { status, body } = await ask(MDS, 'query A { gspGroups { id } } query B { bmUnits { leadParty { name } } }');
    expect(status).toBe(400);
    expect(refusals(body)).toContainEqual({ code: 'GRAPHQL_VALIDATION_FAILED', field: 'BmUnit.leadParty' });
  });
});

describe('no suggestions for values either', () => {
  it('a misspelt enum value in a variable (OPN for OPEN) is refused without "Did you mean" or the enum\'s values', async () => {
    const query =
      'query Q($mpan: MpanCore!, $status: ReadRequestStatus) { meteringPoint(mpanCore: $mpan) { readRequests(status: $status) { id } } }';
    const { status, body, text } = await ask(SUPA, query, { mpan: '1200000000010', status: 'OPN' });
    expect(status).toBe(400);
    expect(body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors[0].message).toMatch(/Variable "\$status" got invalid value "OPN"/);
    expect(text).not.toMatch(/Did you mean|"OPEN"|FULFILLED|CANCELLED/);
  });
});

describe('federation internals are not part of the API', () => {
  it.each([
    ['_entities', '{ _entities(representations: [{ __typename: "BmUnit", id: "T_STAY-2" }]) { ... on BmUnit { leadParty { name } } } }'],
    [
      '_entities under an alias',
      '{ x: _entities(representations: [{ __typename: "MeteringPoint", mpanCore: "1400000079614" }]) { __typename } }',
    ],
    ['_service', '{ _service { sdl } }'],
    ['_service under an alias', '{ y: _service { sdl } }'],
  ])('%s is refused with GRAPHQL_VALIDATION_FAILED and no data', async (_name, query) => {
    for (const actor of [MDS, SUPA]) {
      const { status, body } = await ask(actor, query);
      // Validated against the role's schema, as any unknown field (its argument types are unknown too, so maybe two).
      const codes = body.errors.map((error: { extensions: { code: string } }) => error.extensions.code);
      expect({ status, data: body.data, codes: [...new Set(codes)] }).toEqual({
        status: 400,
        data: undefined,
        codes: ['GRAPHQL_VALIDATION_FAILED'],
      });
      expect(body.errors[0].message).toMatch(/^Cannot query field "_(entities|service)" on type "Query"\.$/);
    }
  });
});

describe('introspection must be asked on its own', () => {
  it.each([
    ['__schema with a data field', '{ __schema { queryType { name } } distributors { id } }'],
    ['__type with a data field', '{ __type(name: "BmUnit") { name } bmUnits { id } }'],
    [
      '__schema in a fragment beside a data field',
      'query { ...Meta distributors { id } } fragment Meta on Query { __schema { queryType { name } } }',
    ],
    ['__schema under an alias beside a data field', '{ s: __schema { types { name } } gspGroups { id } }'],
  ])('%s is refused with BAD_USER_INPUT and no data', async (_name, query) => {
    const { status, body } = await ask(MDS, query);
    expect({ status, data: body.data, codes: body.errors.map((error: { extensions: { code: string } }) => error.extensions.code) }).toEqual(
      {
        status: 400,
        data: undefined,
        codes: ['BAD_USER_INPUT'],
      },
    );
  });

  it('__typename beside data fields is not introspection and is answered', async () => {
    const { status, body } = await ask(MDS, '{ __typename gspGroups { id } }');
    expect(status).toBe(200);
    expect(body.data.__typename).toBe('Query');
  });
});

describe('tokens', () => {
  const QUERY = { query: '{ gspGroups { id } }' };
  const claims = (overrides: JWTPayload = {}): JWTPayload => ({
    sub: 'SUPA',
    roles: ['SUPPLIER'],
    iss: 'mhhs-dev',
    aud: 'mhhs-data-gateway',
    ...overrides,
  });

  /** Signs `payload` with the dev token key (trusted by the gateway) unless another key is given. */
  async function sign(payload: JWTPayload, options: { expiresAt?: number; key?: 'dev' | 'stranger'; kid?: string } = {}): Promise<string> {
    const dev = (await testKeys()).keys.tokenSigning.privateJwk;
    let key = await importJWK(dev, 'EdDSA');
    if (options.key === 'stranger') key = (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({
        alg: 'EdDSA',
        typ: 'JWT',
        ...(options.kid !== undefined ? { kid: options.kid } : dev.kid ? { kid: dev.kid } : {}),
      })
      .setIssuedAt(now - 300)
      .setExpirationTime(options.expiresAt ?? now + 600)
      .sign(key);
  }

  async function expectRefused(headers: Record<string, string>, status: number, code: string, token?: string) {
    const response = await send(QUERY, headers, token);
    expect({
      status: response.status,
      data: response.body?.data,
      codes: response.body?.errors?.map((e: { extensions: { code: string } }) => e.extensions.code),
    }).toEqual({
      status,
      data: undefined,
      codes: [code],
    });
    if (token) expect(response.text).not.toContain(token);
  }

  it('a valid token is accepted (the control for the refusals below)', async () => {
    const token = await sign(claims());
    const response = await send(QUERY, { authorization: `Bearer ${token}` }, token);
    expect(response.status).toBe(200);
    expect(response.body.data.gspGroups.length).toBeGreaterThan(0);
  });

  it('no Authorization header → 401 UNAUTHENTICATED', () => expectRefused({}, 401, 'UNAUTHENTICATED'));

  it('a credential that is not a bearer token → 401 UNAUTHENTICATED', async () => {
    const token = await sign(claims());
    await expectRefused({ authorization: `Basic ${token}` }, 401, 'UNAUTHENTICATED', token);
  });

  it('an unsigned token (alg: none) → 401 UNAUTHENTICATED', async () => {
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => base64url.encode(JSON.stringify(value));
    const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims(), iat: now, exp: now + 600 })}.`;
    await expectRefused({ authorization: `Bearer ${token}` }, 401, 'UNAUTHENTICATED', token);
  });

  it('an HMAC token keyed with the public key (algorithm confusion) → 401 UNAUTHENTICATED', async () => {
    const { jwks } = (await testKeys()).keys.tokenSigning as unknown as { jwks: { keys: object[] } };
    const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(secret);
    await expectRefused({ authorization: `Bearer ${token}` }, 401, 'UNAUTHENTICATED', token);
  });

  it('a token signed by another Ed25519 key, naming the trusted key id → 401 UNAUTHENTICATED', async () => {
    const token = await sign(claims(), { key: 'stranger' });
    await expectRefused({ authorization: `Bearer ${token}` }, 401, 'UNAUTHENTICATED', token);
  });

  it('a token signed by another Ed25519 key with a key id of its own → 401 UNAUTHENTICATED', async () => {
    const stranger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', kid: (await exportJWK(stranger.publicKey)).x })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(stranger.privateKey);
    await expectRefused({ authorization: `Bearer ${token}` }, 401, 'UNAUTHENTICATED', token);
  });

  it('an expired token (expired 2 minutes ago, beyond the 30 s clock tolerance) → 401 UNAUTHENTICATED', async () => {
    const token = await sign(claims(), { expiresAt: Math.floor(Date.now() / 1000) - 120 });
    await expectRefused({ authorization: `Bearer ${token}` }, 401, 'UNAUTHENTICATED', token);
  });

  it('a token for another audience → 401 UNAUTHENTICATED', async () => {
    const token = await sign(claims({ aud: 'some-other-api' }));
    await expectRefused({ authorization: `Bearer ${token}` }, 401, 'UNAUTHENTICATED', token);
  });

  it('a token from another issuer → 401 UNAUTHENTICATED', async () => {
    const token = await sign(claims({ iss: 'someone-else' }));
    await expectRefused({ authorization: `Bearer ${token}` }, 401, 'UNAUTHENTICATED', token);
  });

  it('a token holding an unknown role → 401 UNAUTHENTICATED', async () => {
    const token = await sign(claims({ roles: ['SUPPLIER', 'ROOT'] }));
    await expectRefused({ authorization: `Bearer ${token}`, 'x-acting-role': 'SUPPLIER' }, 401, 'UNAUTHENTICATED', token);
  });

  it('x-acting-role naming a role the token does not hold → 403 FORBIDDEN', async () => {
    const token = await stack.token(SUPA);
    await expectRefused({ authorization: `Bearer ${token}`, 'x-acting-role': 'REGISTRATION_SERVICE' }, 403, 'FORBIDDEN', token);
  });

  it('x-acting-role that is not a market role → 400 BAD_USER_INPUT', async () => {
    const token = await stack.token(SUPA);
    await expectRefused({ authorization: `Bearer ${token}`, 'x-acting-role': 'ADMIN' }, 400, 'BAD_USER_INPUT', token);
  });

  const DUAL: Actor = { role: 'SUPPLIER', participant: 'SUPA', roles: ['SUPPLIER', 'DISTRIBUTOR'] as MarketRole[] };

  it('a token with two roles and no x-acting-role → 400 BAD_USER_INPUT', async () => {
    const token = await stack.token(DUAL);
    await expectRefused({ authorization: `Bearer ${token}` }, 400, 'BAD_USER_INPUT', token);
  });

  it('a token with two roles acts in the one x-acting-role picks: as DISTRIBUTOR it is refused a supplier-only field', async () => {
    const token = await stack.token(DUAL);
    const query = { query: `{ meteringPoint(mpanCore: "${MPAN_0}") { mpanCore readings { value } } }` };
    const before = stack.auditLog.length;
    const asDistributor = await send(query, { authorization: `Bearer ${token}`, 'x-acting-role': 'DISTRIBUTOR' }, token);
    expect({ status: asDistributor.status, data: asDistributor.body.data }).toEqual({ status: 400, data: undefined });
    expect(refusals(asDistributor.body)).toContainEqual({ code: 'GRAPHQL_VALIDATION_FAILED', field: 'MeteringPoint.readings' });
    expect(stack.auditLog.slice(before)).toEqual([
      expect.objectContaining({ participant: 'SUPA', role: 'DISTRIBUTOR', fields: ['MeteringPoint.readings', 'MeterReading.value'] }),
    ]);
    const asSupplier = await send(query, { authorization: `Bearer ${token}`, 'x-acting-role': 'SUPPLIER' }, token);
    expect(asSupplier.status).toBe(200);
    expect(asSupplier.body.data.meteringPoint.readings.length).toBeGreaterThan(0);
  });

  it('no response body and no audit entry of this file contains a token it sent', () => {
    expect(tokensSent.size).toBeGreaterThan(10);
    const audit = JSON.stringify(stack.auditLog);
    const echoed = [...tokensSent].filter((token) => audit.includes(token) || responseTexts.some((text) => text.includes(token)));
    expect(echoed).toEqual([]);
    // Nor a recognisable piece of one: the signature part is unique to each token.
    const signatures = [...tokensSent].map((token) => token.split('.')[2]).filter((signature) => signature && signature.length > 20);
    expect(signatures.filter((signature) => audit.includes(signature) || responseTexts.some((text) => text.includes(signature)))).toEqual(
      [],
    );
  });
});

describe('interfaces and inline fragments', () => {
  it('the API schema has no interface types today (extend these tests with fragments on interfaces when one is added)', () => {
    const interfaces = Object.values(API_SCHEMA.getTypeMap()).filter((type) => isInterfaceType(type) && !type.name.startsWith('__'));
    expect(interfaces.map((type) => type.name)).toEqual([]);
  });

  it('an inline fragment on an object type reads what the role may read', async () => {
    const { status, body } = await ask(MDS, `{ meteringPoint(mpanCore: "${MPAN_5}") { ... on MeteringPoint { mpanCore marketSegment } } }`);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { meteringPoint: { mpanCore: MPAN_5, marketSegment: 'SMART' } } });
  });

  it('an inline fragment on an object type cannot reach a field the role is denied', async () => {
    const { status, body } = await ask(
      MDS,
      `{ meteringPoint(mpanCore: "${MPAN_5}") { mpanCore ... on MeteringPoint { address { postcode } } } }`,
    );
    expect({ status, data: body.data, refusals: refusals(body) }).toEqual({
      status: 400,
      data: undefined,
      refusals: [{ code: 'GRAPHQL_VALIDATION_FAILED', field: 'MeteringPoint.address' }],
    });
  });

  it('nested inline fragments cannot reach a type the role cannot see', async () => {
    const { status, body } = await ask(
      { role: 'REGISTRATION_SERVICE', participant: 'RSVC' },
      `{ meteringPoint(mpanCore: "${MPAN_5}") { ... on MeteringPoint { ... on MeteringPoint { bmUnitAllocation { bmUnit { ... on BmUnit { id } } } } } } }`,
    );
    expect({ status, data: body.data }).toEqual({ status: 400, data: undefined });
    // Exactly what a field and a type that exist nowhere get.
    expect(refusals(body).map((r) => r.field)).toEqual(['MeteringPoint.bmUnitAllocation', 'Unknown type "BmUnit".']);
  });
});
