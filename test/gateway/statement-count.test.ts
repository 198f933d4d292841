import { buildDataset, DEMO_RUN_DATE, DEMO_SETTLEMENT_DATES } from '../../dev/build-dataset';
import { migrateAll, writeDataset } from '../../dev/database-setup';
import { createTestDatabase } from '../support/test-database';
import { startTestStack, TestStack } from '../support/test-stack';
import { TEST_NOW } from '../support/test-clock';

// A portfolio view that reaches every subgraph and every kind of child list: if any resolver loaded per row (N+1),
// 50 metering points would cost more statements than 5.
const PORTFOLIO = `query Portfolio($mpanCores: [MpanCore!]!) {
  meteringPoints(mpanCores: $mpanCores) {
    mpanCore
    marketSegment
    gspGroup { name }
    distributor { name participant { name } }
    meters { meterId assetProvider { name } }
    currentSupplier { supplier { name } }
    supplierRegistrations { effectiveFrom }
    standingDataHistory { effectiveFrom gspGroup { id } }
    currentAppointments { serviceRole provider { name } }
    appointmentHistory { id status messages { interface from { name } } }
    consumption(from: "2026-10-24T23:00:00Z", to: "2026-10-26T00:00:00Z", first: 48) {
      edges { node { utcStart value dataService { name } settlementPeriod { settlementPeriod periodsInDay } versions { version } } }
    }
    readings { value }
    readingHistory { version }
    readRequests { id status }
    bmUnitAllocation { bmUnit { id leadParty { name } } }
  }
}`;

// A supplier sees only its own metering points, so the market here is big enough for one supplier to hold 50.
const dataset = buildDataset({ mpanCount: 150, settlementDates: DEMO_SETTLEMENT_DATES, runDate: DEMO_RUN_DATE, seededAt: TEST_NOW });
const SUPA_MPANS = dataset.supplierRegistrations.filter((r) => r.supplierId === 'SUPA' && r.effectiveTo === null).map((r) => r.mpanCore);

let stack: TestStack;
beforeAll(async () => {
  const database = await createTestDatabase('empty');
  await migrateAll(database.url);
  await writeDataset(database.url, dataset);
  stack = await startTestStack(database);
});
afterAll(() => stack.close());

/** Runs the portfolio query for `mpanCores` and returns the SQL statements each subgraph ran for it. */
async function statementsFor(mpanCores: string[]): Promise<Record<string, number>> {
  const before = stack.statementCounts();
  const { body } = await stack.query(PORTFOLIO, { mpanCores }, { role: 'SUPPLIER', participant: 'SUPA' });
  expect(body.errors).toBeUndefined();
  expect(body.data.meteringPoints).toHaveLength(mpanCores.length);
  // 48 intervals each, so the child lists really are there to be loaded.
  for (const mp of body.data.meteringPoints) expect(mp.consumption.edges.length).toBeGreaterThanOrEqual(45);
  const after = stack.statementCounts();
  return Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - before[name]]));
}

describe('batching: no N+1 anywhere in the graph', () => {
  it('runs the same number of SQL statements per subgraph for 50 metering points as for 5', async () => {
    const mpans = SUPA_MPANS.slice(0, 50);
    expect(mpans).toHaveLength(50);
    const forFive = await statementsFor(mpans.slice(0, 5));
    const forFifty = await statementsFor(mpans);
    expect(forFifty).toEqual(forFive);
    // Every subgraph did run SQL (the settlement period itself is computed, the BM unit allocation is stored).
    for (const count of Object.values(forFive)) expect(count).toBeGreaterThan(0);
  });
});
