import { getNamedType, GraphQLObjectType, isCompositeType } from 'graphql';
import { canRead, MARKET_ROLES, principleOfDenial, type MarketRole } from '../../../core';
import { createDatabase } from '../../../subgraphs/kit/db';
import { writeMessages } from '../../../subgraphs/kit/outbox';
import { TEST_NOW } from '../../support/test-clock';
import { createTestDatabase } from '../../support/test-database';
import { startTestStack, TestStack } from '../../support/test-stack';
import { DEFAULT_EDGE } from '../../../gateway/limits/edge-settings';
import { DEFAULT_LIMITS } from '../../../gateway/limits/limits-config';
import { API_SCHEMA, argumentsFor, mapLimited, mpanAt, POLICY, ROLE_SUBJECTS, ROLES } from './support/access-fixtures';
import { CanaryRegistry, canariesIn, deniedFieldCanaries, outOfScopeCanaries, plantCanaries } from './support/canaries';
import {
  buildEverythingQuery,
  buildPathQuery,
  FieldCoordinate,
  findPathToType,
  listFieldCoordinates,
  reaches,
  typesReachableFrom,
} from './support/query-paths';

// The generated (role × field) suite: for every field of the API schema and every market role, the smallest query
// that reaches the field from Query is sent through the gateway as a real actor of that role. The gateway must answer
// exactly as the @access rules say (for the field and every field on the way to it), and no response may carry the
// canary planted behind a field the role is denied, or in a row outside the role's scope.

const CONCURRENCY = 8;

interface DeniedOnPath {
  field: string;
  principle: string | null;
}

interface MatrixCase {
  title: string;
  coordinate: string;
  /** Fields from Query down to the coordinate, the coordinate last. */
  path: string[];
  query: string;
  allowed: boolean;
  denied: DeniedOnPath[];
  /** Whether the field returns objects (so a value must come back), not a leaf (which may be null). */
  composite: boolean;
  /** Why no query could be built for the field. */
  planError?: string;
}

const NO_METER = 'an unmetered supply has no meter, so no meter readings either';
/** Allowed (role, field) pairs that legitimately return nothing for the role's subject, and why. */
const EMPTY_FOR_SUBJECT: Record<string, string> = Object.fromEntries(
  [
    'MeteringPoint.meters',
    'MeteringPoint.readings',
    'MeteringPoint.readingHistory',
    ...['meterId', 'meterType', 'location', 'registerDigits', 'installedOn', 'communicationsFault'].map((f) => `Meter.${f}`),
    ...[
      'mpanCore',
      'meterId',
      'registerId',
      'value',
      'readAt',
      'method',
      'event',
      'siteVisitCheckCode',
      'version',
      'current',
      'submittedBy',
      'receivedAt',
    ].map((f) => `MeterReading.${f}`),
  ]
    .map((coordinate) => [`UNMETERED_DATA_SERVICE ${coordinate}`, NO_METER])
    .concat(
      // The demo's unanswered requests go to SDSB and ADSA (IF-033 inbox), not to these roles' subjects.
      ['SMART_DATA_SERVICE', 'UNMETERED_DATA_SERVICE', 'SMART_METERING_SERVICE', 'ADVANCED_METERING_SERVICE'].map((role) => [
        `${role} Query.appointmentRequests`,
        'no unanswered request is addressed to this subject in the demo data',
      ]),
    ),
);

/**
 * Plans one case: the shortest path the role may read all of, else the shortest path at all (refused on the way). A
 * field that cannot be planned (no fixture for a new required argument, say) becomes a case that fails saying why.
 */
function planCase(role: MarketRole, { type, coordinate }: FieldCoordinate): MatrixCase {
  const readable = (c: string) => canRead(POLICY, role, c);
  const toParent = findPathToType(API_SCHEMA, type, readable) ?? findPathToType(API_SCHEMA, type, () => true) ?? [];
  const path = [...toParent, coordinate];
  const composite = isCompositeType(
    getNamedType((API_SCHEMA.getType(type) as GraphQLObjectType).getFields()[coordinate.split('.')[1]].type),
  );
  const denied = path.filter((c) => !readable(c)).map((field) => ({ field, principle: principleOfDenial(POLICY, role, field) }));
  let query: string;
  try {
    query = buildPathQuery(API_SCHEMA, path, (c) => argumentsFor(c, ROLE_SUBJECTS[role]));
  } catch (error) {
    return {
      title: `${role} can be asked for ${coordinate}`,
      coordinate,
      path,
      query: '',
      allowed: false,
      denied,
      composite,
      planError: (error as Error).message,
    };
  }
  let title = `${role} reads ${coordinate}`;
  if (denied.length > 0) {
    const own = denied.find((d) => d.field === coordinate);
    const reason = own ?? denied[0];
    title = `${role} is refused ${coordinate}${own ? '' : ` (through ${reason.field})`}${reason.principle ? ` (${reason.principle})` : ''}`;
  }
  return { title, coordinate, path, query, allowed: denied.length === 0, denied, composite };
}

const fromQuery = typesReachableFrom(API_SCHEMA, API_SCHEMA.getQueryType()!.name);
const listed = listFieldCoordinates(API_SCHEMA);
/** The fields a query can reach; the others (mutation results) are checked to be reachable from Mutation below. */
const coordinates = listed.filter(({ type }) => fromQuery.has(type));
let stack: TestStack;
let registry: CanaryRegistry;
/** Field coordinates whose canary reached some role allowed to read them: proof the canaries are live. */
const canaryCoordinatesSeen = new Set<string>();
/** Every response text each role received. */
const receivedByRole = new Map<string, { asked: string; text: string }[]>();
const allTextOf = (role: MarketRole) => (receivedByRole.get(role) ?? []).map(({ text }) => text).join('\n');

/** The demo dataset has no messages: one addressed to each role (PRI-022) lets every role's `messages` reach a node. */
async function writeOneMessagePerRole(databaseUrl: string): Promise<void> {
  const db = createDatabase(databaseUrl, { maxConnections: 1 });
  try {
    await db.transaction((tx) =>
      writeMessages(
        tx,
        'registration',
        MARKET_ROLES.map((role) => ({ type: 'TEST_NOTICE', recipient: { role }, payload: {}, principle: 'PRI-022' })),
        TEST_NOW,
      ),
    );
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  const database = await createTestDatabase('demo');
  try {
    registry = await plantCanaries(database.url);
    await writeOneMessagePerRole(database.url);
    // The broad queries below ask for every field at once (some 30 million estimated values): far past what the
    // operation limits let a caller ask (test/attacks). This suite checks access, so it lifts the cost limit alone.
    stack = await startTestStack(database, { edge: { ...DEFAULT_EDGE, limits: { ...DEFAULT_LIMITS, maxCost: 100_000_000 } } });
  } catch (error) {
    await database.drop();
    throw error;
  }
});
afterAll(() => stack?.close());

describe.each(ROLES.map((role) => [role]))('acting as %s', (role) => {
  const { actor } = ROLE_SUBJECTS[role];
  const cases = coordinates.map((coordinate) => planCase(role, coordinate));
  const responses = new Map<string, { status: number; body: any; text: string }>();
  /** Every response text this role received, labelled with what was asked: the matrix queries and the broad ones. */
  const received: { asked: string; text: string }[] = [];
  receivedByRole.set(role, received);
  const broad = {
    readable: buildEverythingQuery(
      API_SCHEMA,
      (c) => canRead(POLICY, role, c),
      (c) => argumentsFor(c, ROLE_SUBJECTS[role], 'broad'),
    ),
    everything: buildEverythingQuery(
      API_SCHEMA,
      () => true,
      (c) => argumentsFor(c, ROLE_SUBJECTS[role], 'broad'),
    ),
  };
  const broadResponses = new Map<string, { status: number; body: any; text: string }>();

  beforeAll(async () => {
    const authorization = `Bearer ${await stack.token(actor)}`;
    const send = (query: string) => stack.post({ query }, { authorization });
    await mapLimited(
      cases.filter((matrixCase) => !matrixCase.planError),
      CONCURRENCY,
      async (matrixCase) => {
        const response = await send(matrixCase.query);
        responses.set(matrixCase.coordinate, response);
        received.push({ asked: matrixCase.query, text: response.text });
      },
    );
    for (const [name, query] of Object.entries(broad)) {
      const response = await send(query);
      broadResponses.set(name, response);
      received.push({ asked: `the broad "${name}" query`, text: response.text });
    }
    for (const { text } of received) {
      for (const canary of canariesIn(text, registry)) {
        for (const coordinate of canary.coordinates) if (canRead(POLICY, role, coordinate)) canaryCoordinatesSeen.add(coordinate);
      }
    }
  });

  it.each(cases.map((matrixCase) => [matrixCase.title, matrixCase] as const))('%s', (_title, matrixCase) => {
    expect(matrixCase.planError).toBeUndefined();
    const response = responses.get(matrixCase.coordinate)!;
    const context = { query: matrixCase.query, status: response.status };
    if (matrixCase.allowed) {
      expect({ ...context, errors: response.body?.errors }).toEqual({ ...context, status: 200, errors: undefined });
      // Row scope lets the role see its subject: an object or list field holds something, a leaf's parent is there.
      if (!EMPTY_FOR_SUBJECT[`${role} ${matrixCase.coordinate}`]) {
        const reached = reaches(response.body.data, matrixCase.path, !matrixCase.composite);
        expect({ ...context, reached, data: response.body.data }).toEqual({ ...context, reached: true, data: response.body.data });
      }
      return;
    }
    // Refused as a field that does not exist (issue 11, item 5): each error names a denied field (the outermost ones; as
    // for an unknown field, nothing below it is looked at) in graphql-js's words, with Apollo's validation code.
    const errors = (response.body?.errors ?? []) as { message: string; extensions?: Record<string, unknown> }[];
    const named = errors.map(({ message, extensions }) => {
      const unknown = /^Cannot query field "([^"]+)" on type "([^"]+)"\.$/.exec(message);
      return {
        code: extensions?.code,
        deniedField: unknown !== null && matrixCase.denied.some((d) => d.field === `${unknown[2]}.${unknown[1]}`),
      };
    });
    expect({ ...context, data: response.body?.data, named }).toEqual({
      ...context,
      status: 400,
      data: undefined,
      named: errors.map(() => ({ code: 'GRAPHQL_VALIDATION_FAILED', deniedField: true })),
    });
    expect(errors.length).toBeGreaterThan(0);
  });

  it(`${role} may read everything its rules allow in one broad query over every demo metering point`, () => {
    const response = broadResponses.get('readable')!;
    expect({ status: response.status, errors: response.body?.errors }).toEqual({ status: 200, errors: undefined });
  });

  it(`${role} is refused a query for every field of the API schema, with no data`, () => {
    const response = broadResponses.get('everything')!;
    expect({ status: response.status, data: response.body?.data }).toEqual({ status: 400, data: undefined });
  });

  it(`${role} never receives the canary of a field it is denied`, () => {
    const leaks = received.flatMap(({ asked, text }) =>
      deniedFieldCanaries(text, registry, role).map((canary) => `${canary} in the answer to ${asked}`),
    );
    expect({ role, leaks }).toEqual({ role, leaks: [] });
  });

  it(`${role} never receives a canary of a row outside its scope`, () => {
    const leaks = received.flatMap(({ asked, text }) =>
      outOfScopeCanaries(text, registry, actor).map((canary) => `${canary} in the answer to ${asked}`),
    );
    expect({ role, participant: actor.participant, leaks }).toEqual({ role, participant: actor.participant, leaks: [] });
  });
});

describe('coverage', () => {
  it('covers every readable field of the API schema: those a query cannot reach are mutation results', () => {
    const mutation = API_SCHEMA.getMutationType();
    const fromMutation = mutation ? typesReachableFrom(API_SCHEMA, mutation.name) : new Set<string>();
    const uncovered = listed.filter(({ type }) => !fromQuery.has(type));
    expect(uncovered.filter(({ type }) => !fromMutation.has(type)).map(({ coordinate }) => coordinate)).toEqual([]);
    expect(coordinates.length).toBeGreaterThanOrEqual(195);
  });
});

describe('the canaries', () => {
  it('reach, for every planted field, some role allowed to read it (so a missing leak is not a missing canary)', () => {
    const planted = new Set([...registry.canaries.values(), ...registry.numeric].flatMap((canary) => canary.coordinates));
    const readableSomewhere = [...planted].filter((coordinate) => ROLES.some((role) => canRead(POLICY, role, coordinate)));
    expect(readableSomewhere.filter((coordinate) => !canaryCoordinatesSeen.has(coordinate)).sort()).toEqual([]);
  });

  it('are found by the leak checks in real answers: what SUPPLIER may read would be a leak for MARKET_WIDE_DATA_SERVICE', () => {
    const found = deniedFieldCanaries(allTextOf('SUPPLIER'), registry, 'MARKET_WIDE_DATA_SERVICE');
    expect(found).toEqual(
      expect.arrayContaining([
        `CANARY-Address.line1-${mpanAt(5)}`,
        'CANARY-BscParty.name-AURORA',
        // The acting supplier SUPC reads the commercially sensitive attributes of its own party's (COBALT's) units only.
        'CANARY-BmUnit.tradingUnit-2__CSUPC001',
        '45.2109',
      ]),
    );
  });

  it("are found by the leak checks in real answers: another party's CALF and capacities, which CENTRAL_REGISTRATION_AGENT reads, are out of scope for a supplier", () => {
    const found = outOfScopeCanaries(allTextOf('CENTRAL_REGISTRATION_AGENT'), registry, { role: 'SUPPLIER', participant: 'SUPC' });
    expect(found).toEqual(expect.arrayContaining(['CANARY-BmUnit.tradingUnit-T_STAY-2', '41.2109', '876540.219', '987650.321']));
    expect(found).not.toContain('45.2109');
  });

  it('are found by the leak checks in real answers: rows REGISTRATION_SERVICE sees would be out of scope for a supplier', () => {
    const found = outOfScopeCanaries(allTextOf('REGISTRATION_SERVICE'), registry, { role: 'SUPPLIER', participant: 'SUPC' });
    expect(found).toEqual(expect.arrayContaining([`CANARY-Address.line1-${mpanAt(0)}`, `CANARY-Meter.location-${mpanAt(1)}`]));
    expect(found).not.toContain(`CANARY-Address.line1-${mpanAt(5)}`);
  });
});
