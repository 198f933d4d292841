import { buildDemoDataset } from '../../../dev/build-dataset';
import { createResponsibilities, ResponsibilityOwner, ResponsibilityPeriod } from '../../../subgraphs/kit/responsibility';
import type { Database } from '../../../subgraphs/kit/db';
import { INTERNAL_CONTEXT_HEADER, signSubgraphQuestion } from '../../../core';
import { openSubgraphs, SubgraphHarness } from '../../support/subgraph-inject';
import { TEST_NOW } from '../../support/test-clock';
import { testKeys } from '../../support/test-keys';

// The one responsibility model (PRI-001, PRI-004): each responsibility has one owner, asked in batches.

const dataset = buildDemoDataset(TEST_NOW);
const switched = dataset.meteringPoints[0].mpanCore; // SUPB until 2025-06-01, then SUPA
const steady = dataset.meteringPoints[1].mpanCore; // SUPB since 2024-01-01

describe('createResponsibilities: one question per owner and batch', () => {
  const period = (mpanCore: string, holder: string, from: string, to: string | null): ResponsibilityPeriod => ({
    mpanCore,
    responsibility: 'SUPPLIER',
    holder,
    from,
    to,
  });

  it('asks its own owner once for every MPAN and instant asked in the same tick, and answers each in key order', async () => {
    const questions: { asked: readonly string[]; mpanCores: readonly string[] }[] = [];
    const owner: ResponsibilityOwner = {
      owns: ['SUPPLIER'],
      async findPeriods(_source, asked, mpanCores) {
        questions.push({ asked, mpanCores });
        return [
          period('A', 'SUPB', '2024-01-01', '2025-06-01'),
          period('A', 'SUPA', '2025-06-01', null),
          period('B', 'SUPC', '2024-01-01', null),
        ];
      },
    };
    const responsibilities = createResponsibilities({
      self: { name: 'registration', db: {} as Database, owner },
      signQuestion: async () => 'unused in process',
      subgraphBaseUrl: () => 'http://127.0.0.1:9',
    });
    const answers = await Promise.all([
      responsibilities.heldAt('SUPPLIER', 'A', '2025-05-31'),
      responsibilities.heldAt('SUPPLIER', 'A', new Date('2025-06-01T00:00:00Z')),
      responsibilities.heldOver('SUPPLIER', 'A', '2025-05-01', '2025-07-01'),
      responsibilities.heldAt('SUPPLIER', 'B', '2026-01-01'),
      responsibilities.heldAt('SUPPLIER', 'C', '2026-01-01'),
    ]);
    expect(questions).toEqual([{ asked: ['SUPPLIER'], mpanCores: ['A', 'B', 'C'] }]);
    expect(answers.map((a) => (Array.isArray(a) ? a.map((p) => p.holder) : (a?.holder ?? null)))).toEqual([
      'SUPB',
      'SUPA',
      ['SUPB', 'SUPA'],
      'SUPC',
      null,
    ]);
  });
});

describe('POST /internal/responsibilities: each owner answers for what it owns', () => {
  let harness: SubgraphHarness;
  beforeAll(async () => {
    harness = await openSubgraphs();
  });
  afterAll(() => harness.close());

  /** Asks as another subgraph would: a question signed with the question key, for this subgraph and this body. */
  async function ask(subgraph: string, payload: Record<string, unknown>, withContext = true) {
    const keys = await testKeys();
    const body = JSON.stringify(payload);
    const question = () =>
      signSubgraphQuestion(
        keys.keys.subgraphQuestion.privateKey,
        { role: 'SUPPLIER', participant: 'SUPA', requestId: 'test', now: harness.clock.now() },
        { audience: subgraph, body, via: 'metering-data' },
      );
    const headers = { 'content-type': 'application/json', ...(withContext ? { [INTERNAL_CONTEXT_HEADER]: await question() } : {}) };
    return harness.app(subgraph).inject({ method: 'POST', url: '/internal/responsibilities', headers, payload: body });
  }

  it('answers the supplier registrations, GSP groups and distributor of each MPAN from registration', async () => {
    const response = await ask('registration', { responsibilities: ['SUPPLIER', 'GSP_GROUP', 'DISTRIBUTOR'], mpanCores: [switched] });
    expect(response.statusCode).toBe(200);
    const periods = response.json<{ periods: ResponsibilityPeriod[] }>().periods;
    expect(periods).toEqual(
      expect.arrayContaining([
        { mpanCore: switched, responsibility: 'SUPPLIER', holder: 'SUPB', from: '2024-01-01', to: '2025-06-01' },
        { mpanCore: switched, responsibility: 'SUPPLIER', holder: 'SUPA', from: '2025-06-01', to: null },
        { mpanCore: switched, responsibility: 'GSP_GROUP', holder: '_C', from: '2024-01-01', to: null },
        { mpanCore: switched, responsibility: 'DISTRIBUTOR', holder: 'LOND', from: '0001-01-01', to: null },
      ]),
    );
    expect(periods).toHaveLength(4);
  });

  it('ends each appointment with the registration of the supplier that requested it (appointment)', async () => {
    const response = await ask('appointment', { responsibilities: ['SMART_DATA_SERVICE'], mpanCores: [switched] });
    expect(response.json()).toEqual({
      periods: [
        { mpanCore: switched, responsibility: 'SMART_DATA_SERVICE', holder: 'SDSB', from: '2024-01-01', to: '2025-06-01' },
        { mpanCore: switched, responsibility: 'SMART_DATA_SERVICE', holder: 'SDSA', from: '2025-06-01', to: null },
      ],
    });
  });

  it("derives the BM unit from the registered supplier's base unit of the GSP group in force (settlement)", async () => {
    const response = await ask('settlement', { responsibilities: ['BM_UNIT'], mpanCores: [switched, steady] });
    expect(response.json()).toEqual({
      periods: [
        { mpanCore: switched, responsibility: 'BM_UNIT', holder: '2__CSUPB001', from: '2024-01-01', to: '2025-06-01' },
        { mpanCore: switched, responsibility: 'BM_UNIT', holder: '2__CSUPA001', from: '2025-06-01', to: null },
        { mpanCore: steady, responsibility: 'BM_UNIT', holder: '2__ESUPB001', from: '2024-01-01', to: null },
      ],
    });
  });

  it('refuses a question about a responsibility the subgraph does not own with 400', async () => {
    const response = await ask('appointment', { responsibilities: ['SUPPLIER'], mpanCores: [switched] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toContain('SMART_DATA_SERVICE');
  });

  it('refuses a question without a signed context with 401', async () => {
    const response = await ask('registration', { responsibilities: ['SUPPLIER'], mpanCores: [switched] }, false);
    expect(response.statusCode).toBe(401);
  });
});
