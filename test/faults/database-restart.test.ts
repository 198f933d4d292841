import { eventually } from '../support/eventually';
import { startProcessStack, type ProcessStack } from '../support/process-stack';
import { startRestartablePostgres, type RestartablePostgres } from '../support/restartable-postgres';
import { readmeExampleAnswer, readmeExampleOperation } from '../support/readme-example';
import type { Actor } from '../support/test-keys';
import { buildDemoDataset } from '../../dev/build-dataset';
import { TEST_NOW } from '../support/test-clock';

// PostgreSQL goes away and comes back while the gateway and the subgraphs keep running (issue 11, item 8): requests
// fail at once with a coded error rather than hang, and once the server is back the same processes answer in full.

const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
const { query: EXAMPLE_QUERY, variables: EXAMPLE_VARIABLES } = readmeExampleOperation();

const SUBMIT = `mutation($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted unchanged newVersions rejected } }`;
/** One interval for a Smart metering point of SDSA's (demo index 2), on a day with no demo data. */
const ONE_INTERVAL = {
  intervals: [
    { mpanCore: '', quantity: 'ACTIVE_IMPORT', utcStart: '2026-08-01T00:00:00Z', periodMinutes: 30, value: '0.25', quality: 'ACTUAL' },
  ],
};

let postgres: RestartablePostgres;
let stack: ProcessStack;
beforeAll(async () => {
  postgres = await startRestartablePostgres();
  stack = await startProcessStack(postgres.url);
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await postgres?.destroy();
}, 60_000);

const timed = async <T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> => {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
};

describe('PostgreSQL restarted under running services', () => {
  it('answers DATABASE_UNAVAILABLE at once while it is down, and in full once it is back, with no service restarted', async () => {
    const input = {
      intervals: ONE_INTERVAL.intervals.map((i) => ({ ...i, mpanCore: buildDemoDataset(TEST_NOW).meteringPoints[2].mpanCore })),
    };

    expect((await stack.query(EXAMPLE_QUERY, EXAMPLE_VARIABLES, SUPA)).body).toEqual(readmeExampleAnswer());

    await postgres.stop();
    // Reads: every failing part is coded and names its subgraph; no hang, no address, no driver text.
    const read = await timed(() => stack.query(EXAMPLE_QUERY, EXAMPLE_VARIABLES, SUPA));
    expect(read.ms).toBeLessThan(5_000);
    expect(read.result.status).toBe(200);
    expect(read.result.body.data).toEqual({ meteringPoint: null });
    expect(read.result.body.errors.length).toBeGreaterThan(0);
    for (const error of read.result.body.errors) {
      expect(error.extensions).toEqual({ code: 'DATABASE_UNAVAILABLE', serviceName: expect.any(String) });
      expect(error.message).toMatch(/unavailable, so nothing was read or written there; retry later$/);
    }
    expect(read.result.body.errors.map((e: { extensions: { serviceName: string } }) => e.extensions.serviceName)).toContain('registration');
    // A submission: refused as a whole with the same code, nothing written (checked below once the server is back).
    const write = await timed(() => stack.query(SUBMIT, { input }, SDSA));
    expect(write.ms).toBeLessThan(5_000);
    expect(write.result.body.data).toBeNull();
    expect(write.result.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'DATABASE_UNAVAILABLE', serviceName: 'metering-data' }) }),
    ]);
    const text = JSON.stringify([read.result.body, write.result.body]);
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|SELECT|postgres/i);
    // Each subgraph that met it logs a warning with the request id and the driver's code, not an error.
    await eventually(() =>
      expect(stack.subgraphLogLines('registration')).toContainEqual(
        expect.objectContaining({
          level: 40,
          msg: 'database unavailable',
          requestId: expect.stringMatching(/\S/),
          cause: expect.any(String),
        }),
      ),
    );
    // The gateway's readiness says so too.
    expect((await fetch(`http://127.0.0.1:${stack.gateway.port}/readyz`)).status).toBe(503);

    await postgres.start();
    // Same processes, new connections: the README example in full, and the submission goes through once.
    for (const service of [stack.gateway, ...['registration', 'metering-data', 'appointment', 'settlement'].map(stack.subgraph)]) {
      expect(service.running).toBe(true);
    }
    expect((await stack.query(EXAMPLE_QUERY, EXAMPLE_VARIABLES, SUPA)).body).toEqual(readmeExampleAnswer());
    expect((await stack.query(SUBMIT, { input }, SDSA)).body).toEqual({
      data: { submitConsumption: { accepted: 1, unchanged: 0, newVersions: 0, rejected: 0 } },
    });
    expect((await fetch(`http://127.0.0.1:${stack.gateway.port}/readyz`)).status).toBe(200);
  }, 120_000);
});
