import { buildDemoDataset } from '../../../dev/build-dataset';
import type { IntervalRow } from '../../../subgraphs/metering-data/rows';
import { entitiesQuery, GraphQLBody, openSubgraphs, shortestDecimal, SubgraphHarness } from '../../support/subgraph-inject';
import type { Actor } from '../../support/test-keys';
import { TEST_NOW } from '../../support/test-clock';

const dataset = buildDemoDataset(TEST_NOW);
const intervals: IntervalRow[] = [...dataset.intervalBatches()].flat();
/** A Smart MPAN with a corrected reading (index divisible by 4) and corrected intervals (even index). */
const first = dataset.meteringPoints[0];
/** De-energised since 2026-02-01: its intervals are accepted and flagged (PRI-013). */
const deEnergised = dataset.meteringPoints[3];
/** A traditional meter: it has read requests. */
const traditional = dataset.meteringPoints[4];

/** Sees every metering point's consumption, unscoped; but no readings or read requests. */
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
/** Supplier of MPAN 0 (`first`) since 2025-06-01: may read its readings and reading history. */
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
/** Smart Data Service appointed to MPANs 4 (`traditional`) and 5 since 2024-01-01 / 2025-06-01: may read their read requests. */
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };

/** The 2026-03-29 settlement day in UTC: clocks go forward, so it has 46 half-hour periods. */
const SPRING_FROM = '2026-03-29T00:00:00Z';
const SPRING_TO = '2026-03-29T23:00:00Z';

/** Current intervals of an MPAN with a UTC start in [from, to), oldest first. */
const currentIntervals = (mpanCore: string, from: string, to: string) =>
  intervals
    .filter((i) => i.mpanCore === mpanCore && i.supersededAt === null && i.utcStart >= new Date(from) && i.utcStart < new Date(to))
    .sort((a, b) => a.utcStart.getTime() - b.utcStart.getTime());

let harness: SubgraphHarness;

/** Asks the metering-data subgraph for fields of one metering point through `_entities`, as the gateway does, acting as `as`. */
const onMeteringPoint = (as: Actor, mpanCore: string, selection: string, variables: Record<string, unknown> = {}) => {
  const declarations = Object.keys(variables).map((name) => `$${name}: ${VARIABLE_TYPES[name]}`);
  return harness.query(
    'metering-data',
    `query($r: [_Any!]!${declarations.map((d) => `, ${d}`).join('')}) { _entities(representations: $r) { ... on MeteringPoint { ${selection} } } }`,
    { r: [{ __typename: 'MeteringPoint', mpanCore }], ...variables },
    as,
  );
};
const VARIABLE_TYPES: Record<string, string> = { from: 'DateTime!', to: 'DateTime!', first: 'Int', after: 'String' };

const PAGE = 'edges { cursor node { utcStart value } } pageInfo { hasNextPage endCursor }';
/** A page of `first`'s consumption, read as the Market-wide Data Service. */
const page = (variables: Record<string, unknown>) =>
  onMeteringPoint(MDS, first.mpanCore, `consumption(from: $from, to: $to, first: $first, after: $after) { ${PAGE} }`, {
    from: SPRING_FROM,
    to: SPRING_TO,
    first: 48,
    after: null,
    ...variables,
  });

interface Page {
  edges: { cursor: string; node: { utcStart: string; value: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
const pageOf = (body: GraphQLBody): Page => {
  expect(body.errors).toBeUndefined();
  return body.data._entities[0].consumption;
};

/** The one error of a response, without locations. */
const onlyError = (body: GraphQLBody) => {
  expect(body.errors).toHaveLength(1);
  const { message, path, extensions } = body.errors![0];
  return { message, path, extensions };
};

beforeAll(async () => {
  harness = await openSubgraphs(['metering-data']);
});

afterAll(async () => {
  await harness.close();
});

describe('consumption', () => {
  it('returns the 46 intervals of the spring clock-change day in one page of 48, with no next page', async () => {
    const expected = currentIntervals(first.mpanCore, SPRING_FROM, SPRING_TO);
    expect(expected).toHaveLength(46);
    const result = pageOf(await page({ first: 48 }));
    expect(result.edges.map((edge) => edge.node)).toEqual(
      expected.map((i) => ({ utcStart: i.utcStart.toISOString(), value: shortestDecimal(i.value) })),
    );
    expect(result.pageInfo).toEqual({ hasNextPage: false, endCursor: result.edges[45].cursor });
  });

  it('pages 20 at a time as 20, 20 and 6 intervals whose cursors chain with no duplicate or gap', async () => {
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const next: Page = pageOf(await page({ first: 20, after }));
      pages.push(next);
      after = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
    } while (after !== null && pages.length < 5);

    expect(pages.map((p) => [p.edges.length, p.pageInfo.hasNextPage])).toEqual([
      [20, true],
      [20, true],
      [6, false],
    ]);
    for (const p of pages) expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
    const starts = pages.flatMap((p) => p.edges.map((edge) => edge.node.utcStart));
    const halfHours = Array.from({ length: 46 }, (_, i) => new Date(Date.parse(SPRING_FROM) + i * 30 * 60_000).toISOString());
    expect(starts).toEqual(halfHours);
    expect(new Set(pages.flatMap((p) => p.edges.map((edge) => edge.cursor))).size).toBe(46);
  });

  it('says there is a next page exactly when intervals remain in the range', async () => {
    expect(pageOf(await page({ first: 45 })).pageInfo.hasNextPage).toBe(true);
    expect(pageOf(await page({ first: 46 })).pageInfo.hasNextPage).toBe(false);
  });

  it('answers an empty page with a null end cursor for a quantity with no data', async () => {
    const body = await onMeteringPoint(
      MDS,
      first.mpanCore,
      `consumption(from: "${SPRING_FROM}", to: "${SPRING_TO}", quantity: ACTIVE_EXPORT) { ${PAGE} }`,
    );
    expect(body).toEqual({ data: { _entities: [{ consumption: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } }] } });
  });

  it('returns every field of an interval, with values as exact decimal strings', async () => {
    const body = await onMeteringPoint(
      MDS,
      deEnergised.mpanCore,
      `consumption(from: "2026-10-26T10:00:00Z", to: "2026-10-26T11:00:00Z") { edges { node {
        mpanCore utcStart periodMinutes quantity value quality estimationMethod dataService { id } version receivedAt
        deEnergisedFlag settlementPeriod { utcStart periodMinutes } } } }`,
    );
    const expected = currentIntervals(deEnergised.mpanCore, '2026-10-26T10:00:00Z', '2026-10-26T11:00:00Z');
    expect(body).toEqual({
      data: {
        _entities: [
          {
            consumption: {
              edges: expected.map((i) => ({
                node: {
                  mpanCore: deEnergised.mpanCore,
                  utcStart: i.utcStart.toISOString(),
                  periodMinutes: 30,
                  quantity: 'ACTIVE_IMPORT',
                  value: shortestDecimal(i.value),
                  quality: i.quality,
                  estimationMethod: i.estimationMethod,
                  dataService: { id: 'SDSA' },
                  version: i.version,
                  receivedAt: i.receivedAt.toISOString(),
                  deEnergisedFlag: true,
                  settlementPeriod: { utcStart: i.utcStart.toISOString(), periodMinutes: 30 },
                },
              })),
            },
          },
        ],
      },
    });
    expect(expected).toHaveLength(2);
    for (const edge of body.data._entities[0].consumption.edges) expect(edge.node.value).toMatch(/^\d+(\.\d{1,6})?$/);
  });

  it('returns only the current version of a corrected interval, while `versions` lists both, newest first', async () => {
    const corrected = intervals.find((i) => i.version === 2)!;
    const original = intervals.find(
      (i) => i.version === 1 && i.mpanCore === corrected.mpanCore && i.utcStart.getTime() === corrected.utcStart.getTime(),
    )!;
    const from = corrected.utcStart.toISOString();
    const to = new Date(corrected.utcStart.getTime() + 30 * 60_000).toISOString();
    const body = await onMeteringPoint(
      MDS,
      corrected.mpanCore,
      `consumption(from: "${from}", to: "${to}") { edges { node { version value quality
        versions { version value quality estimationMethod receivedAt } } } }`,
    );
    const shape = (i: IntervalRow) => ({
      version: i.version,
      value: shortestDecimal(i.value),
      quality: i.quality,
      estimationMethod: i.estimationMethod,
      receivedAt: i.receivedAt.toISOString(),
    });
    expect(body).toEqual({
      data: {
        _entities: [
          {
            consumption: {
              edges: [
                {
                  node: {
                    version: 2,
                    value: shortestDecimal(corrected.value),
                    quality: 'ACTUAL',
                    versions: [shape(corrected), shape(original)],
                  },
                },
              ],
            },
          },
        ],
      },
    });
    expect(original.quality).toBe('ESTIMATED');
  });

  it('loads the consumption of many metering points in one SQL statement', async () => {
    const mpans = dataset.meteringPoints.slice(0, 10).map((mp) => mp.mpanCore);
    const db = harness.database('metering-data');
    const before = db.statementCount;
    const body = await harness.query(
      'metering-data',
      entitiesQuery(
        'MeteringPoint',
        `mpanCore consumption(from: "${SPRING_FROM}", to: "${SPRING_TO}", first: 2) { edges { node { utcStart } } }`,
      ),
      { r: mpans.map((mpanCore) => ({ __typename: 'MeteringPoint', mpanCore })) },
      MDS,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((mp: { consumption: Page }) => mp.consumption.edges.length)).toEqual(mpans.map(() => 2));
    expect(db.statementCount - before).toBe(1);
  });
});

describe('consumption arguments', () => {
  it.each([
    ['from equals to', '2026-03-29T10:00:00Z', '2026-03-29T10:00:00Z'],
    ['from is after to', '2026-03-29T11:00:00Z', '2026-03-29T10:00:00Z'],
  ])('refuses a range where %s with BAD_USER_INPUT INVALID_RANGE', async (_case, from, to) => {
    const body = await page({ from, to });
    expect(body.data).toEqual({ _entities: [null] });
    const error = onlyError(body);
    expect(error).toEqual({
      message: `consumption: from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()}); ranges are [from, to) in UTC`,
      path: ['_entities', expect.anything(), 'consumption'],
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_RANGE' },
    });
    expect(String(error.path![1])).toBe('0');
  });

  it.each([0, 2001, -1])('refuses first: %d with BAD_USER_INPUT INVALID_PAGE_SIZE', async (first) => {
    const body = await page({ first });
    expect(body.data).toEqual({ _entities: [null] });
    const error = onlyError(body);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE' });
    expect(error.message).toBe(`consumption: first must be between 1 and 2000, got ${first}; page with after/endCursor`);
  });

  it('accepts first: 2000, the largest page', async () => {
    expect(pageOf(await page({ first: 2000 })).edges).toHaveLength(46);
  });

  it('refuses a cursor it did not issue with BAD_USER_INPUT INVALID_CURSOR', async () => {
    const body = await page({ after: 'garbage' });
    expect(body.data).toEqual({ _entities: [null] });
    const error = onlyError(body);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    expect(error.message).toBe('after: "garbage" is not a cursor returned by this API; pass a pageInfo.endCursor');
  });

  it('refuses a `from` that is not a date-time with BAD_USER_INPUT INVALID_DATE_TIME', async () => {
    const body = await page({ from: '2026-03-29' });
    expect(body.data ?? null).toBeNull();
    const error = onlyError(body);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_DATE_TIME' });
    expect(error.message).toContain('DateTime: expected ISO 8601 with an offset');
  });
});

describe('readings', () => {
  const READING = 'meterId registerId value readAt method event siteVisitCheckCode version current submittedBy { id } receivedAt';
  const shape = (r: (typeof dataset.readings)[number], current: boolean) => ({
    meterId: r.meterId,
    registerId: '1',
    value: shortestDecimal(r.value),
    readAt: r.readAt.toISOString(),
    method: r.method,
    event: r.event,
    siteVisitCheckCode: r.siteVisitCheckCode,
    version: r.version,
    current,
    submittedBy: { id: r.submittedBy },
    receivedAt: r.receivedAt.toISOString(),
  });

  it('shows one current version of a corrected reading in readings and both versions in readingHistory', async () => {
    const own = dataset.readings.filter((r) => r.mpanCore === first.mpanCore);
    const at = (month: string, version: number) => own.find((r) => r.readAt.toISOString().startsWith(month) && r.version === version)!;
    const body = await onMeteringPoint(SUPA, first.mpanCore, `readings { ${READING} } readingHistory { ${READING} }`);
    expect(body).toEqual({
      data: {
        _entities: [
          {
            readings: [shape(at('2026-10', 1), true), shape(at('2026-09', 2), true), shape(at('2026-08', 1), true)],
            readingHistory: [
              shape(at('2026-10', 1), true),
              shape(at('2026-09', 2), true),
              shape(at('2026-09', 1), false),
              shape(at('2026-08', 1), true),
            ],
          },
        ],
      },
    });
  });

  it('returns only the newest `last` readings', async () => {
    const body = await onMeteringPoint(SUPA, first.mpanCore, 'readings(last: 1) { readAt version }');
    expect(body).toEqual({ data: { _entities: [{ readings: [{ readAt: '2026-10-01T00:00:00.000Z', version: 1 }] }] } });
  });

  it.each([0, 501])('refuses readings(last: %d) with BAD_USER_INPUT INVALID_PAGE_SIZE', async (last) => {
    const body = await onMeteringPoint(SUPA, first.mpanCore, `readings(last: ${last}) { readAt }`);
    expect(body.data).toEqual({ _entities: [null] });
    const error = onlyError(body);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE' });
    expect(error.message).toBe(`readings: last must be between 1 and 500, got ${last}`);
  });
});

describe('read requests', () => {
  const REQUEST = 'id mpanCore meterId reason status meterReadingService { id } requestedAt dueBy';
  const shape = (id: string) => {
    const q = dataset.readRequests.find((r) => r.id === id)!;
    return {
      id,
      mpanCore: q.mpanCore,
      meterId: q.meterId,
      reason: q.reason,
      status: q.status,
      meterReadingService: { id: 'MRSA' },
      requestedAt: q.requestedAt.toISOString(),
      dueBy: q.dueBy.toISOString(),
    };
  };

  it('lists read requests newest first and filters them by status', async () => {
    const body = await onMeteringPoint(
      SDSA,
      traditional.mpanCore,
      `all: readRequests { ${REQUEST} } open: readRequests(status: OPEN) { id status } cancelled: readRequests(status: CANCELLED) { id }`,
    );
    expect(body).toEqual({
      data: {
        _entities: [
          {
            all: [shape(`RR-${traditional.mpanCore}-2`), shape(`RR-${traditional.mpanCore}-1`)],
            open: [{ id: `RR-${traditional.mpanCore}-2`, status: 'OPEN' }],
            cancelled: [],
          },
        ],
      },
    });
  });

  it('answers readRequest by id, and null for an unknown id', async () => {
    const id = `RR-${dataset.meteringPoints[5].mpanCore}-1`;
    const body = await harness.query(
      'metering-data',
      `{ known: readRequest(id: "${id}") { ${REQUEST} } unknown: readRequest(id: "RR-NONE") { id } }`,
      undefined,
      SDSA,
    );
    expect(body).toEqual({ data: { known: { ...shape(id), reason: 'SMART_COMMS_FAULT' }, unknown: null } });
  });

  it('refuses an unknown status with GRAPHQL_VALIDATION_FAILED', async () => {
    const body = await onMeteringPoint(SDSA, traditional.mpanCore, 'readRequests(status: LOST) { id }');
    expect(body.data ?? null).toBeNull();
    expect(onlyError(body).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
