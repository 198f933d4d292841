import { buildDemoDataset } from '../../dev/build-dataset';
import { chooseYearOfData, topUpYearOfData } from '../../bench/year-of-data';
import { TEST_NOW } from '../support/test-clock';
import { openSubgraphs, type SubgraphHarness } from '../support/subgraph-inject';

// Scenario (c) of the bench pages through a whole year of one MPAN as its supplier. The top-up must give exactly a
// year of current intervals, and the supplier's row scope must let it see every one of them.
// The metering-data subgraph's share of the bench's query, as the gateway sends it: an entity fetch.
const PAGE = `query($r: [_Any!]!, $from: DateTime!, $to: DateTime!, $after: String) {
  _entities(representations: $r) {
    ... on MeteringPoint {
      consumption(from: $from, to: $to, first: 2000, after: $after) {
        edges { node { utcStart value quality version } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

describe('bench: a year of one MPAN for scenario (c)', () => {
  let harness: SubgraphHarness;
  const year = chooseYearOfData(buildDemoDataset(TEST_NOW), 'SUPA', '2026-10-27');

  beforeAll(async () => {
    harness = await openSubgraphs();
  });
  afterAll(() => harness?.close());

  it('picks an MPAN registered to the supplier since before the year began', () => {
    const current = buildDemoDataset(TEST_NOW).supplierRegistrations.filter((r) => r.mpanCore === year.mpanCore && r.effectiveTo === null);
    expect(current).toEqual([expect.objectContaining({ supplierId: 'SUPA' })]);
    expect(current[0].effectiveFrom <= year.firstDate).toBe(true);
    expect(year.firstDate).toBe('2025-10-28');
  });

  it('tops up to 17,520 current intervals, all of which the supplier pages through', async () => {
    const db = harness.database('metering-data');
    // The demo seeds a few days of the year already: those rows are kept, the rest of the year is added.
    const added = await topUpYearOfData(db, year, year.to);
    expect(added).toBeGreaterThan(17_000);
    expect(await topUpYearOfData(db, year, year.to)).toBe(0);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const variables = {
        r: [{ __typename: 'MeteringPoint', mpanCore: year.mpanCore }],
        from: year.from.toISOString(),
        to: year.to.toISOString(),
        after,
      };
      const body = await harness.query('metering-data', PAGE, variables, { role: 'SUPPLIER', participant: 'SUPA' });
      expect(body.errors).toBeUndefined();
      const connection = body.data._entities[0].consumption;
      seen.push(...connection.edges.map((e: { node: { utcStart: string } }) => e.node.utcStart));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(17_520);
    expect(new Set(seen).size).toBe(17_520);
    expect(seen[0]).toBe(year.from.toISOString());
  });
});
