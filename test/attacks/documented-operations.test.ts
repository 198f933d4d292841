import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { print } from 'graphql';
import { buildDemoDataset, DEMO_SETTLEMENT_DATES } from '../../dev/build-dataset';
import { buildScenarios } from '../../bench/scenarios';
import { batchQuery, morePagesQuery, PAGE_QUERY, SETTLEMENT_DAY_QUERY, SUBMIT_MUTATION } from '../../clients/aggregate-job';
import * as portal from '../../clients/supplier-portal/src/operations';
import { readPlaygroundExamples } from '../../gateway/playground/examples';
import { buildSchemasByRole, limitSchemaFor } from '../../gateway/limits/role-schemas';
import { createOperationLimiter } from '../../gateway/limits/operation-limits';
import { DEFAULT_LIMITS } from '../../gateway/limits/limits-config';
import { countTokens, measureDocument, parseWithTokenLimit } from '../../gateway/limits/measure-document';
import { operationCost } from '../../gateway/limits/operation-cost';
import { DEFAULT_BOUNDS } from '../../gateway/limits/edge-settings';
import { readmeExampleOperation } from '../support/readme-example';
import { TEST_NOW } from '../support/test-clock';

/**
 * Issue 11, item 1: the default limits pass every documented operation — the MDS aggregation job's queries at their
 * largest documented settings, the bench scenarios, the playground and README examples, the supplier portal — on the
 * schema of the role that runs it. Also item 2: the largest documented submission fits the body limit.
 */
interface Documented {
  name: string;
  role: string;
  query: string;
  variables: Record<string, unknown>;
}

const supergraphSdl = readFileSync(join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8');
const schemas = buildSchemasByRole(supergraphSdl, true);
const limiter = createOperationLimiter(DEFAULT_LIMITS, schemas.apiSchema);

function documentedOperations(): Documented[] {
  const operations: Documented[] = [];
  const MDS = 'MARKET_WIDE_DATA_SERVICE';
  const mpans = (count: number) => Array.from({ length: count }, (_, i) => String(1200000000000 + i));
  const day = { from: '2026-10-25T00:00:00Z', to: '2026-10-26T00:00:00Z' };
  // The aggregation job (clients/aggregate-job.ts) at its documented maxima: 100 metering points per batch, a UK day
  // over two UTC days, 100 intervals a page, and the follow-up pages of a whole batch at once.
  operations.push({
    name: 'aggregate: settlement day',
    role: MDS,
    query: SETTLEMENT_DAY_QUERY,
    variables: { settlementDate: '2026-10-25', periodMinutes: 30 },
  });
  operations.push({ name: 'aggregate: metering point page', role: MDS, query: PAGE_QUERY, variables: { first: 500 } });
  operations.push({
    name: 'aggregate: batch of 100',
    role: MDS,
    query: batchQuery(2, 100),
    variables: { mpanCores: mpans(100), ...day, at0: day.from, at1: day.to },
  });
  operations.push({
    name: 'aggregate: more pages of 100',
    role: MDS,
    query: morePagesQuery(100, 100),
    variables: {
      ...day,
      ...Object.fromEntries(
        mpans(100).flatMap((mpan, i) => [
          [`mpan${i}`, mpan],
          [`after${i}`, 'cursor'],
        ]),
      ),
    },
  });
  operations.push({ name: 'aggregate: submit', role: MDS, query: SUBMIT_MUTATION, variables: { input: {} } });
  // The bench scenarios (bench/scenarios.ts), with their real bodies.
  const dataset = buildDemoDataset(TEST_NOW);
  const year = {
    mpanCore: mpans(1)[0],
    from: new Date('2025-10-01T00:00:00Z'),
    to: new Date('2026-10-01T00:00:00Z'),
    firstDate: '2025-10-01',
    lastDate: '2026-09-30',
  };
  for (const scenario of buildScenarios(dataset, DEMO_SETTLEMENT_DATES, ['a', 'b', 'c', 'e'], TEST_NOW, year as never)) {
    if (scenario.kind === 'read') {
      const { query, variables } = JSON.parse(scenario.bodies[0]);
      operations.push({ name: `bench (${scenario.id})`, role: scenario.actor.role, query, variables });
    } else if (scenario.kind === 'paging') {
      operations.push({ name: `bench (${scenario.id})`, role: scenario.actor.role, query: scenario.query, variables: scenario.variables });
    }
  }
  operations.push({
    name: 'bench (d) submission',
    role: 'SMART_DATA_SERVICE',
    query:
      'mutation Submit($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted unchanged newVersions rejected rejections { reason message } } }',
    variables: { input: { intervals: [] } },
  });
  for (const example of readPlaygroundExamples()) {
    operations.push({
      name: `playground ${example.role}/${example.name}`,
      role: example.role,
      query: example.query,
      variables: example.variables,
    });
  }
  const readme = readmeExampleOperation();
  operations.push({ name: 'README example', role: 'SUPPLIER', query: readme.query, variables: readme.variables });
  for (const [name, document] of Object.entries(portal)) {
    operations.push({ name: `supplier portal ${name}`, role: 'SUPPLIER', query: print(document), variables: { mpanCores: mpans(100) } });
  }
  return operations;
}

describe('the default limits and every documented operation', () => {
  const operations = documentedOperations();

  it('finds the documented operations (job, bench, playground, README, portal)', () => {
    for (const source of ['aggregate:', 'bench (a)', 'bench (b)', 'bench (c)', 'bench (e)', 'playground', 'README', 'supplier portal']) {
      expect(operations.some((o) => o.name.startsWith(source))).toBe(true);
    }
  });

  it.each(documentedOperations().map((o) => [o.name, o] as const))('passes %s', (_name, operation) => {
    expect(limiter.check(operation, limitSchemaFor(schemas, operation.role))).toBeNull();
  });

  it('keeps every limit at least 1.5 times above the largest documented value (headroom, printed for the README)', () => {
    const largest = { bytes: 0, tokens: 0, depth: 0, aliases: 0, directives: 0, rootFields: 0, operations: 0, cost: 0 };
    for (const operation of operations) {
      const parsed = parseWithTokenLimit(operation.query, Number.MAX_SAFE_INTEGER);
      if (parsed.kind !== 'parsed') throw new Error(`${operation.name} does not parse`);
      const measures = measureDocument(schemas.apiSchema, parsed.document);
      const cost = operationCost(limitSchemaFor(schemas, operation.role), parsed.document, undefined, operation.variables);
      const values = { bytes: Buffer.byteLength(operation.query), tokens: countTokens(operation.query), ...measures, cost };
      for (const key of Object.keys(largest) as (keyof typeof largest)[]) largest[key] = Math.max(largest[key], values[key]);
    }
    console.log(`largest documented values: ${JSON.stringify(largest)}`);
    expect(largest.bytes * 1.5).toBeLessThanOrEqual(DEFAULT_LIMITS.maxDocumentBytes);
    expect(largest.tokens * 1.5).toBeLessThanOrEqual(DEFAULT_LIMITS.maxTokens);
    expect(largest.depth * 1.5).toBeLessThanOrEqual(DEFAULT_LIMITS.maxDepth);
    expect(largest.aliases * 1.2).toBeLessThanOrEqual(DEFAULT_LIMITS.maxAliases);
    expect(largest.rootFields * 1.2).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRootFields);
    expect(largest.cost * 1.5).toBeLessThanOrEqual(DEFAULT_LIMITS.maxCost);
  });

  it('fits the largest documented submission, 50,000 estimated consumption intervals, in the body limit', () => {
    const intervals = Array.from({ length: 50_000 }, (_, i) => ({
      mpanCore: String(1200000000000 + (i % 1000)),
      quantity: 'ACTIVE_IMPORT',
      utcStart: new Date(Date.UTC(2026, 9, 1) + Math.floor(i / 1000) * 1_800_000).toISOString(),
      periodMinutes: 30,
      value: '12345.678',
      quality: 'ESTIMATED',
      estimationMethod: 'PROFILE_COEFFICIENT',
    }));
    const body = JSON.stringify({
      query: 'mutation Submit($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted rejected } }',
      variables: { input: { intervals } },
    });
    const bytes = Buffer.byteLength(body);
    console.log(
      `a 50,000-interval submission is ${(bytes / 1024 / 1024).toFixed(1)} MiB; body limit ${DEFAULT_BOUNDS.bodyLimitBytes / 1024 / 1024} MiB`,
    );
    expect(bytes).toBeLessThan(DEFAULT_BOUNDS.bodyLimitBytes);
    expect(bytes * 1.1).toBeLessThan(DEFAULT_BOUNDS.bodyLimitBytes);
  });
});
