import { startTestStack, TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';
import { readmeExampleAnswer, readmeExampleOperation, readmeExampleQueryText } from '../support/readme-example';

const { query: EXAMPLE_QUERY, variables: EXAMPLE_VARIABLES } = readmeExampleOperation();
import { TEST_NOW } from '../support/test-clock';

// The demo supplier of MPAN 1200000000420, the README's example.
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('the gateway over real HTTP in front of all four subgraphs', () => {
  it('answers the README example with data from registration, appointment, metering-data and settlement', async () => {
    const before = stack.statementCounts();
    const { status, body } = await stack.query(EXAMPLE_QUERY, EXAMPLE_VARIABLES, SUPA);
    expect(status).toBe(200);
    expect(body).toEqual(readmeExampleAnswer());
    expect(body).toEqual({
      data: {
        meteringPoint: {
          mpanCore: '1200000000420',
          marketSegment: 'SMART',
          energisationStatus: 'ENERGISED',
          gspGroup: { id: '_C', name: 'London' },
          currentSupplier: { supplier: { id: 'SUPA', name: 'Aurora Energy Supply' }, effectiveFrom: '2025-06-01' },
          currentAppointments: [
            {
              serviceRole: 'SMART_DATA_SERVICE',
              status: 'ACTIVE',
              effectiveFrom: '2025-06-01',
              provider: { id: 'SDSA', name: 'Alpha Smart Data Services' },
            },
            {
              serviceRole: 'SMART_METERING_SERVICE',
              status: 'ACTIVE',
              effectiveFrom: '2025-06-01',
              provider: { id: 'MSSA', name: 'Sigma Smart Metering' },
            },
          ],
          bmUnitAllocation: { bmUnit: { id: '2__CSUPA001' } },
          consumption: {
            edges: [
              {
                node: {
                  utcStart: '2026-10-25T00:00:00.000Z',
                  value: '0.205',
                  quality: 'ACTUAL',
                  settlementPeriod: {
                    settlementDate: '2026-10-25',
                    settlementPeriod: 3,
                    periodsInDay: 50,
                    localStartTime: '2026-10-25T01:00:00+01:00',
                  },
                },
              },
              {
                node: {
                  utcStart: '2026-10-25T00:30:00.000Z',
                  value: '0.216',
                  quality: 'ACTUAL',
                  settlementPeriod: {
                    settlementDate: '2026-10-25',
                    settlementPeriod: 4,
                    periodsInDay: 50,
                    localStartTime: '2026-10-25T01:30:00+01:00',
                  },
                },
              },
              {
                node: {
                  utcStart: '2026-10-25T01:00:00.000Z',
                  value: '0.227',
                  quality: 'ACTUAL',
                  settlementPeriod: {
                    settlementDate: '2026-10-25',
                    settlementPeriod: 5,
                    periodsInDay: 50,
                    localStartTime: '2026-10-25T01:00:00+00:00',
                  },
                },
              },
              {
                node: {
                  utcStart: '2026-10-25T01:30:00.000Z',
                  value: '0.238',
                  quality: 'ACTUAL',
                  settlementPeriod: {
                    settlementDate: '2026-10-25',
                    settlementPeriod: 6,
                    periodsInDay: 50,
                    localStartTime: '2026-10-25T01:30:00+00:00',
                  },
                },
              },
            ],
            pageInfo: { hasNextPage: false },
          },
        },
      },
    });
    // Every subgraph did real work against PostgreSQL (settlement's clock time is computed, its allocation is SQL).
    const after = stack.statementCounts();
    for (const name of ['registration', 'appointment', 'metering-data', 'settlement']) expect(after[name]).toBeGreaterThan(before[name]);
  });

  it('shows in the README exactly the operation the tests run and the playground offers', () => {
    expect(readmeExampleQueryText().trim()).toBe(EXAMPLE_QUERY.trim());
  });

  it.each(['2026-12-16T12:00:00Z', '2027-06-01T12:00:00Z', '2027-10-31T01:30:00Z', '2030-01-01T00:00:00Z'])(
    'answers the README example as documented with the business clock at %s: the example depends on no date',
    async (now) => {
      stack.clock.set(now);
      try {
        expect((await stack.query(EXAMPLE_QUERY, EXAMPLE_VARIABLES, SUPA)).body).toEqual(readmeExampleAnswer());
      } finally {
        stack.clock.set(TEST_NOW);
      }
    },
  );

  it('relays a subgraph scalar error with its code and reason, and says why the MPAN core is wrong', async () => {
    const { body } = await stack.query('{ meteringPoint(mpanCore: "1234567890123") { mpanCore } }', undefined, SUPA);
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'MpanCore: MPAN core "1234567890123" fails its check digit: the first 12 digits give 6, the last digit is 3',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_MPAN_CORE' }),
      }),
    ]);
  });

  it('refuses an unknown field with GRAPHQL_VALIDATION_FAILED and no "Did you mean" hint', async () => {
    const { status, body } = await stack.query('{ meteringPoint(mpanCore: "1200000000420") { mpanCor } }', undefined, SUPA);
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors[0].message).not.toMatch(/Did you mean/);
  });

  it('returns null, not an error, for a valid MPAN core that is not registered', async () => {
    const { body } = await stack.query(
      '{ meteringPoint(mpanCore: "1000000000012") { mpanCore consumption(from: "2026-10-25T00:00:00Z", to: "2026-10-26T00:00:00Z") { edges { cursor } } } }',
      undefined,
      SUPA,
    );
    expect(body).toEqual({ data: { meteringPoint: null } });
  });

  it('answers /healthz and, with every subgraph and the database up, /readyz', async () => {
    const base = stack.gatewayUrl.replace('/graphql', '');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      subgraphs: ['registration', 'metering-data', 'appointment', 'settlement'].map((name) => ({ name, ready: true })),
    });
  });

  it('serves the offline playground to a browser on GET /graphql, with no external script', async () => {
    const response = await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('MHHS data gateway');
    // Its only script and stylesheet are the gateway's own (test/gateway/playground-browser.test.ts loads it offline).
    expect([...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((match) => match[1]).sort()).toEqual([
      '/playground/playground.css',
      '/playground/playground.js',
    ]);
    // The README's example is the supplier's example in the playground, the same operation with the same variables.
    const { examples } = await (await fetch(new URL(stack.gatewayUrl).origin + '/playground/examples.json')).json();
    const served = examples.find((e: { role: string; name: string }) => e.role === 'SUPPLIER' && e.name === 'metering-point-overview');
    expect({ query: served.query, variables: served.variables }).toEqual({ query: EXAMPLE_QUERY, variables: EXAMPLE_VARIABLES });
  });
});

describe('readiness when a subgraph is down', () => {
  it('answers /readyz with 503 naming the subgraph that does not answer', async () => {
    const own = await startTestStack();
    try {
      const settlement = own.subgraphs.find((s) => s.name === 'settlement')!;
      await settlement.app.close();
      const response = await fetch(own.gatewayUrl.replace('/graphql', '/readyz'));
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; subgraphs: { name: string; ready: boolean }[] };
      expect(body.status).toBe('unavailable');
      expect(body.subgraphs.filter((s) => !s.ready).map((s) => s.name)).toEqual(['settlement']);
    } finally {
      await own.close().catch(() => undefined);
    }
  });

  it('answers a subgraph /readyz with 503 when its database does not answer', async () => {
    const own = await startTestStack();
    try {
      const registration = own.subgraphs.find((s) => s.name === 'registration')!;
      await registration.db.close();
      const response = await fetch(registration.url.replace('/graphql', '/readyz'));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', subgraph: 'registration', reason: 'database does not answer' });
    } finally {
      await own.close().catch(() => undefined);
    }
  });
});

describe('the audit log', () => {
  it('records a refused token as one line that says why, and never the token itself', async () => {
    const forged = `${(await stack.token(SUPA)).slice(0, -4)}AAAA`;
    const before = stack.auditLog.length;
    const { status } = await stack.post({ query: '{ gspGroups { id } }' }, { authorization: `Bearer ${forged}` });
    expect(status).toBe(401);
    const entries = stack.auditLog.slice(before);
    expect(entries).toEqual([
      { event: 'authentication_refused', at: expect.any(String), status: 401, code: 'UNAUTHENTICATED', reason: expect.any(String) },
    ]);
    expect(JSON.stringify(entries)).not.toContain(forged.slice(0, 40));
  });
});
