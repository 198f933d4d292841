import { DocumentNode, Kind, parse } from 'graphql';
import { subgraphs } from '../../subgraphs';
import { buildDemoDataset } from '../../dev/build-dataset';
import { TEST_NOW } from '../support/test-clock';
import { entitiesQuery, openSubgraphs, shortestDecimal, SubgraphHarness } from '../support/subgraph-inject';
import type { Actor } from '../support/test-keys';

// Every @key entity each subgraph can resolve, fetched the way the gateway fetches it: `_entities` with representations.

const dataset = buildDemoDataset(TEST_NOW);
const first = dataset.meteringPoints[0];
/** MPAN 4 has a traditional meter, so it has read requests and physically read meter readings. */
const traditional = dataset.meteringPoints[4];
/** A valid MPAN core (check digit right) that the demo market never registered. */
const UNREGISTERED_MPAN = '1000000000012';

// Each entity is fetched as a role that may read every field selected and whose row scope holds the entity.
/** Every metering point, no consumption or readings: the harness's default actor. */
const RS: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' };
/** Every metering point and settlement row, but no readings, read requests or CRA attributes (PRI-003b). */
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
/** BM units with their CRA attributes, and BSC parties. */
const CRA: Actor = { role: 'CENTRAL_REGISTRATION_AGENT', participant: 'CRAG' };
/** Smart Data Service of MPAN 4 (`traditional`) since 2024-01-01: reads its consumption, readings and read requests. */
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };

/** Appointments of an MPAN as appointmentHistory orders them: newest effective date first, then by id. */
function appointmentIdsNewestFirst(mpanCore: string): string[] {
  return dataset.appointments
    .filter((a) => a.mpanCore === mpanCore)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || a.id.localeCompare(b.id))
    .map((a) => a.id);
}

/** Accepted appointments in force on `day`, ordered by service role as currentAppointments returns them. */
function appointmentIdsInForce(mpanCore: string, day: string): string[] {
  return dataset.appointments
    .filter(
      (a) =>
        a.mpanCore === mpanCore && a.decision === 'ACCEPTED' && a.effectiveFrom <= day && (a.effectiveTo === null || a.effectiveTo > day),
    )
    .sort((a, b) => a.serviceRole.localeCompare(b.serviceRole))
    .map((a) => a.id);
}

interface EntityCase {
  subgraph: string;
  as: Actor;
  typename: string;
  representation: Record<string, unknown>;
  selection: string;
  expected: Record<string, unknown>;
}

const firstAppointment = dataset.appointments.find((a) => a.id === `APT-${first.mpanCore}-DS1`)!;
const firstReadRequest = dataset.readRequests.find((q) => q.id === `RR-${traditional.mpanCore}-1`)!;
const stayGen = dataset.bscParties.find((p) => p.id === 'STAYGEN')!;
const stayUnit = dataset.bmUnits.find((u) => u.id === 'T_STAY-2')!;
const octoberReading = dataset.readings.find(
  (r) => r.mpanCore === traditional.mpanCore && r.readAt.toISOString() === '2026-10-01T00:00:00.000Z',
)!;
const londonIdno = dataset.distributors.find((d) => d.id === '24')!;

const cases: EntityCase[] = [
  {
    subgraph: 'registration',
    as: RS,
    typename: 'MeteringPoint',
    representation: { mpanCore: first.mpanCore },
    selection: `mpanCore distributor { id } address { line1 line2 town postcode }
      legacyTopLine { profileClass meterTimeswitchCode lineLossFactorClass }
      currentSupplier(at: "2026-01-01T00:00:00Z") { supplier { id } effectiveFrom effectiveTo }`,
    expected: {
      mpanCore: '1200000000420',
      distributor: { id: '12' },
      address: first.address,
      legacyTopLine: first.legacyTopLine,
      currentSupplier: { supplier: { id: 'SUPA' }, effectiveFrom: '2025-06-01', effectiveTo: null },
    },
  },
  {
    subgraph: 'registration',
    as: RS,
    typename: 'Distributor',
    representation: { id: '24' },
    selection: 'id name kind participant { id name } homeGspGroup { id } gspGroups { id } duosTariffIds',
    expected: {
      id: '24',
      name: londonIdno.name,
      kind: 'IDNO',
      participant: { id: 'IPNL', name: 'Independent Power Networks' },
      homeGspGroup: null,
      gspGroups: londonIdno.gspGroupIds.map((id) => ({ id })),
      duosTariffIds: londonIdno.duosTariffIds,
    },
  },
  {
    subgraph: 'registration',
    as: RS,
    typename: 'GspGroup',
    representation: { id: '_C' },
    selection: 'id name',
    expected: { id: '_C', name: 'London' },
  },
  {
    subgraph: 'registration',
    as: RS,
    typename: 'MarketParticipant',
    representation: { id: 'SUPA' },
    selection: 'id name roles',
    expected: { id: 'SUPA', name: 'Aurora Energy Supply', roles: ['SUPPLIER'] },
  },
  {
    subgraph: 'appointment',
    as: RS,
    typename: 'MeteringPoint',
    representation: { mpanCore: first.mpanCore },
    selection: 'mpanCore currentAppointments(at: "2026-11-01T00:00:00Z") { id } appointmentHistory { id effectiveFrom }',
    expected: {
      mpanCore: first.mpanCore,
      currentAppointments: appointmentIdsInForce(first.mpanCore, '2026-11-01').map((id) => ({ id })),
      appointmentHistory: appointmentIdsNewestFirst(first.mpanCore).map((id) => ({
        id,
        effectiveFrom: dataset.appointments.find((a) => a.id === id)!.effectiveFrom,
      })),
    },
  },
  {
    subgraph: 'appointment',
    as: RS,
    typename: 'Appointment',
    representation: { id: firstAppointment.id },
    selection: `id meteringPoint { mpanCore } serviceRole provider { id } requestingSupplier { id } scenario contractReference
      effectiveFrom effectiveTo requestedAt respondBy`,
    expected: {
      id: `APT-${first.mpanCore}-DS1`,
      meteringPoint: { mpanCore: first.mpanCore },
      serviceRole: 'SMART_DATA_SERVICE',
      provider: { id: 'SDSA' },
      requestingSupplier: { id: 'SUPA' },
      scenario: 'CHANGE_OF_SUPPLIER',
      contractReference: firstAppointment.contractReference,
      effectiveFrom: '2025-06-01',
      effectiveTo: null,
      requestedAt: '2025-05-01T10:00:00.000Z',
      respondBy: '2025-05-06T10:00:00.000Z',
    },
  },
  {
    subgraph: 'metering-data',
    as: SDSA,
    typename: 'MeteringPoint',
    representation: { mpanCore: traditional.mpanCore },
    selection: `mpanCore
      consumption(from: "2026-10-27T00:00:00Z", to: "2026-10-27T01:00:00Z") { edges { node { utcStart value } } pageInfo { hasNextPage } }
      readings(last: 1) { readAt value submittedBy { id } }
      readRequests { id status }`,
    expected: {
      mpanCore: traditional.mpanCore,
      consumption: {
        edges: [...dataset.intervalBatches()]
          .flat()
          .filter((i) => i.mpanCore === traditional.mpanCore && i.supersededAt === null)
          .filter((i) => i.utcStart >= new Date('2026-10-27T00:00:00Z') && i.utcStart < new Date('2026-10-27T01:00:00Z'))
          .map((i) => ({ node: { utcStart: i.utcStart.toISOString(), value: shortestDecimal(i.value) } })),
        pageInfo: { hasNextPage: false },
      },
      readings: [{ readAt: '2026-10-01T00:00:00.000Z', value: shortestDecimal(octoberReading.value), submittedBy: { id: 'MRSA' } }],
      readRequests: [
        { id: `RR-${traditional.mpanCore}-2`, status: 'OPEN' },
        { id: `RR-${traditional.mpanCore}-1`, status: 'FULFILLED' },
      ],
    },
  },
  {
    subgraph: 'metering-data',
    as: SDSA,
    typename: 'ReadRequest',
    representation: { id: firstReadRequest.id },
    selection: 'id mpanCore meterId reason status meterReadingService { id } requestedAt dueBy',
    expected: {
      id: `RR-${traditional.mpanCore}-1`,
      mpanCore: traditional.mpanCore,
      meterId: firstReadRequest.meterId,
      reason: 'NON_SMART_METER',
      status: 'FULFILLED',
      meterReadingService: { id: 'MRSA' },
      requestedAt: '2026-06-01T09:00:00.000Z',
      dueBy: '2026-06-15T17:00:00.000Z',
    },
  },
  {
    subgraph: 'settlement',
    as: MDS,
    typename: 'SettlementPeriod',
    representation: { utcStart: '2026-10-25T01:00:00.000Z', periodMinutes: 30 },
    selection: 'utcStart periodMinutes utcEnd settlementDate settlementPeriod periodsInDay localStartTime clockChange',
    expected: {
      utcStart: '2026-10-25T01:00:00.000Z',
      periodMinutes: 30,
      utcEnd: '2026-10-25T01:30:00.000Z',
      settlementDate: '2026-10-25',
      settlementPeriod: 5,
      periodsInDay: 50,
      localStartTime: '2026-10-25T01:00:00+00:00',
      clockChange: 'AUTUMN_BACK',
    },
  },
  {
    subgraph: 'settlement',
    as: MDS,
    typename: 'SettlementRun',
    representation: { id: 'RUN-2026-10-25-SF' },
    selection: 'id settlementDate runType status periodMinutes createdAt completedAt',
    expected: {
      id: 'RUN-2026-10-25-SF',
      settlementDate: '2026-10-25',
      runType: 'SF',
      status: 'COMPLETED',
      periodMinutes: 30,
      createdAt: '2026-11-20T07:00:00.000Z',
      completedAt: '2026-11-20T07:30:00.000Z',
    },
  },
  {
    subgraph: 'settlement',
    as: CRA,
    typename: 'BmUnit',
    representation: { id: 'T_STAY-2' },
    selection: `id kind gspGroup { id } leadParty { id } creditAssessmentLoadFactor generationCapacityMw demandCapacityMw
      tradingUnit effectiveFrom effectiveTo`,
    expected: {
      id: 'T_STAY-2',
      kind: 'DIRECTLY_CONNECTED',
      gspGroup: { id: '_E' },
      leadParty: { id: 'STAYGEN' },
      creditAssessmentLoadFactor: shortestDecimal(stayUnit.creditAssessmentLoadFactor),
      generationCapacityMw: '425',
      demandCapacityMw: '8.5',
      tradingUnit: 'TU_STAYTHORPE',
      effectiveFrom: '2010-07-01',
      effectiveTo: null,
    },
  },
  {
    subgraph: 'settlement',
    as: CRA,
    typename: 'BscParty',
    representation: { id: 'STAYGEN' },
    selection: 'id name partyRoles qualificationStatus effectiveFrom effectiveTo bmUnits { id }',
    expected: {
      id: 'STAYGEN',
      name: stayGen.name,
      partyRoles: ['GENERATOR', 'TRADER'],
      qualificationStatus: 'QUALIFIED',
      effectiveFrom: '2010-07-01',
      effectiveTo: null,
      bmUnits: [{ id: 'T_STAY-2' }],
    },
  },
  {
    subgraph: 'settlement',
    as: MDS,
    typename: 'MeteringPoint',
    representation: { mpanCore: first.mpanCore },
    selection: 'mpanCore bmUnitAllocation(at: "2026-01-01T00:00:00Z") { bmUnit { id } effectiveFrom }',
    expected: { mpanCore: first.mpanCore, bmUnitAllocation: { bmUnit: { id: '2__CSUPA001' }, effectiveFrom: '2025-06-01' } },
  },
];

/** Unknown keys of the entities a subgraph owns: each resolves to null, not an error. */
const unknownKeys: { subgraph: string; as: Actor; typename: string; representation: Record<string, unknown>; selection: string }[] = [
  { subgraph: 'registration', as: RS, typename: 'MeteringPoint', representation: { mpanCore: UNREGISTERED_MPAN }, selection: 'mpanCore' },
  { subgraph: 'registration', as: RS, typename: 'Distributor', representation: { id: '99' }, selection: 'id' },
  { subgraph: 'registration', as: RS, typename: 'GspGroup', representation: { id: '_Z' }, selection: 'id' },
  { subgraph: 'registration', as: RS, typename: 'MarketParticipant', representation: { id: 'NOBODY' }, selection: 'id' },
  { subgraph: 'appointment', as: RS, typename: 'Appointment', representation: { id: 'APT-NONE' }, selection: 'id' },
  { subgraph: 'metering-data', as: SDSA, typename: 'ReadRequest', representation: { id: 'RR-NONE' }, selection: 'id' },
  { subgraph: 'settlement', as: MDS, typename: 'SettlementRun', representation: { id: 'RUN-NONE' }, selection: 'id' },
  { subgraph: 'settlement', as: CRA, typename: 'BmUnit', representation: { id: 'T_NONE-1' }, selection: 'id' },
  { subgraph: 'settlement', as: CRA, typename: 'BscParty', representation: { id: 'NOBODY' }, selection: 'id' },
];

let harness: SubgraphHarness;

beforeAll(async () => {
  harness = await openSubgraphs();
});

afterAll(async () => {
  await harness.close();
});

describe('_entities', () => {
  it('covers every resolvable @key entity of every subgraph', () => {
    const resolvable = subgraphs.flatMap((subgraph) =>
      subgraph.typeDefs.definitions.flatMap((definition) => {
        if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return [];
        const keys = (definition.directives ?? []).filter((d) => d.name.value === 'key');
        const unresolvable = keys.some((key) =>
          key.arguments?.some((arg) => arg.name.value === 'resolvable' && arg.value.kind === Kind.BOOLEAN && !arg.value.value),
        );
        return keys.length > 0 && !unresolvable ? [`${subgraph.name}:${definition.name.value}`] : [];
      }),
    );
    expect(cases.map((c) => `${c.subgraph}:${c.typename}`).sort()).toEqual(resolvable.sort());
  });

  it.each(cases)(
    '$subgraph resolves $typename from its key as $as.role, also once mercurius has JIT-compiled the query',
    async (entity) => {
      const query = entitiesQuery(entity.typename, entity.selection);
      const variables = { r: [{ __typename: entity.typename, ...entity.representation }] };
      // mercurius compiles an operation with graphql-jit after its first run (jit: 1): the second run takes that path.
      for (const run of ['interpreted', 'compiled']) {
        const body = await harness.query(entity.subgraph, query, variables, entity.as);
        expect({ run, body }).toEqual({ run, body: { data: { _entities: [entity.expected] } } });
      }
    },
  );

  it.each(unknownKeys)('$subgraph resolves an unknown $typename key to null as $as.role', async (entity) => {
    const body = await harness.query(
      entity.subgraph,
      entitiesQuery(entity.typename, entity.selection),
      { r: [{ __typename: entity.typename, ...entity.representation }] },
      entity.as,
    );
    expect(body).toEqual({ data: { _entities: [null] } });
  });

  it('answers several representations of mixed types in the order given, with null for an unknown one', async () => {
    const [a, b] = [dataset.meteringPoints[2], dataset.meteringPoints[1]];
    const body = await harness.query(
      'registration',
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on MeteringPoint { mpanCore } ... on GspGroup { id name } ... on MarketParticipant { id name } } }`,
      {
        r: [
          { __typename: 'MeteringPoint', mpanCore: a.mpanCore },
          { __typename: 'GspGroup', id: '_E' },
          { __typename: 'MeteringPoint', mpanCore: UNREGISTERED_MPAN },
          { __typename: 'MeteringPoint', mpanCore: b.mpanCore },
          { __typename: 'MarketParticipant', id: 'SUPB' },
        ],
      },
    );
    expect(body).toEqual({
      data: {
        _entities: [
          { mpanCore: a.mpanCore },
          { id: '_E', name: 'Midlands' },
          null,
          { mpanCore: b.mpanCore },
          { id: 'SUPB', name: 'Brightwater Power' },
        ],
      },
    });
  });

  it('reports an error inside an entity at a path whose list index is a number, as the gateway needs to place it', async () => {
    // @apollo/gateway maps `_entities` errors back to the client's path only when path[1] is a number (GraphQL spec:
    // list indices are integers); otherwise the client sees "_entities" in the path of its own query.
    const body = await harness.query(
      'metering-data',
      entitiesQuery('MeteringPoint', 'consumption(from: "2026-03-29T10:00:00Z", to: "2026-03-29T09:00:00Z") { pageInfo { hasNextPage } }'),
      { r: [{ __typename: 'MeteringPoint', mpanCore: first.mpanCore }] },
      MDS,
    );
    expect(body.data).toEqual({ _entities: [null] });
    expect(body.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }))).toEqual([
      { path: ['_entities', 0, 'consumption'], code: 'BAD_USER_INPUT' },
    ]);
  });

  it('resolves many metering points in one SQL statement (one DataLoader batch)', async () => {
    const mpans = dataset.meteringPoints.slice(0, 10).map((mp) => mp.mpanCore);
    const db = harness.database('registration');
    const before = db.statementCount;
    const body = await harness.query('registration', entitiesQuery('MeteringPoint', 'mpanCore'), {
      r: mpans.map((mpanCore) => ({ __typename: 'MeteringPoint', mpanCore })),
    });
    expect(body).toEqual({ data: { _entities: mpans.map((mpanCore) => ({ mpanCore })) } });
    expect(db.statementCount - before).toBe(1);
  });

  it('resolves the appointment extension of many metering points with one statement per child list', async () => {
    const mpans = dataset.meteringPoints.slice(0, 10).map((mp) => mp.mpanCore);
    const db = harness.database('appointment');
    const before = db.statementCount;
    const body = await harness.query('appointment', entitiesQuery('MeteringPoint', 'appointmentHistory { id messages { interface } }'), {
      r: mpans.map((mpanCore) => ({ __typename: 'MeteringPoint', mpanCore })),
    });
    expect(body.data._entities.map((mp: { appointmentHistory: { id: string }[] }) => mp.appointmentHistory.map((a) => a.id))).toEqual(
      mpans.map(appointmentIdsNewestFirst),
    );
    // One statement for the appointments of all ten MPANs, one for the messages of all their appointments.
    expect(db.statementCount - before).toBe(2);
  });
});

/** Names of the object types carrying @key in an SDL document, in document order. */
function keyTypeNames(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.directives?.some((d) => d.name.value === 'key')
      ? [definition.name.value]
      : [],
  );
}

describe('_service', () => {
  it.each(subgraphs.map((subgraph) => ({ name: subgraph.name, subgraph })))(
    '$name publishes its SDL with every @key type it declares',
    async ({ name, subgraph }) => {
      const body = await harness.query(name, '{ _service { sdl } }');
      expect(body.errors).toBeUndefined();
      const declared = keyTypeNames(subgraph.typeDefs);
      expect(declared).toContain('MeteringPoint');
      expect(keyTypeNames(parse(body.data._service.sdl))).toEqual(declared);
    },
  );
});
