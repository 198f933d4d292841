import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/eventually';
import { startProcessStack, type ProcessStack } from '../support/process-stack';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { readmeExampleAnswer, readmeExampleOperation } from '../support/readme-example';
import type { Actor } from '../support/test-keys';
import { buildDemoDataset } from '../../dev/build-dataset';
import { TEST_NOW } from '../support/test-clock';

// A subgraph process dies and comes back while the gateway keeps running (issue 11, item 8): the caller gets every
// other subgraph's data and an error that names the missing subgraph, never its address; the gateway logs it with the
// request id; once the subgraph is back, the same operation is answered in full without restarting anything.

const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
const SUBMIT = `mutation($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted unchanged newVersions rejected } }`;
const { query: EXAMPLE_QUERY, variables: EXAMPLE_VARIABLES } = readmeExampleOperation();

/** One root field from registration and one from metering-data, so losing metering-data leaves half an answer. */
const TWO_SUBGRAPHS = `query($mpanCore: MpanCore!) {
  meteringPoint(mpanCore: $mpanCore) { mpanCore marketSegment }
  readRequest(id: "no-such-request") { id }
}`;

/** The answer the README's "Faults" section shows for TWO_SUBGRAPHS with metering-data down. */
function readmeFaultExample(): unknown {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Faults'));
  return JSON.parse(/```json\n([\s\S]*?)\n```/.exec(section)![1]);
}

let database: TestDatabase;
let stack: ProcessStack;
beforeAll(async () => {
  database = await createTestDatabase('demo');
  stack = await startProcessStack(database.url);
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await database?.drop();
});

describe('a subgraph process down', () => {
  it('answers the rest with an error naming the subgraph (not its address), logs it with the request id, and recovers when it returns', async () => {
    const meteringData = stack.subgraph('metering-data');
    const mpanCore = EXAMPLE_VARIABLES.mpanCore as string;

    const before = await stack.query(TWO_SUBGRAPHS, { mpanCore }, SUPA);
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data).toEqual({ meteringPoint: { mpanCore, marketSegment: expect.any(String) }, readRequest: null });

    await meteringData.kill('SIGKILL');
    const started = Date.now();
    const during = await stack.query(TWO_SUBGRAPHS, { mpanCore }, SUPA);
    // No wait for a timeout: a refused connection is answered at once.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(during.status).toBe(200);
    expect(during.body.data).toEqual({ meteringPoint: before.body.data.meteringPoint, readRequest: null });
    expect(during.body.errors).toEqual([
      {
        message: 'The metering-data subgraph is unavailable, so its part of the answer is missing; retry later',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'metering-data' },
      },
    ]);
    // As the README's "Faults" section shows it.
    expect(during.body).toEqual(readmeFaultExample());
    // Nothing about where the subgraph lives: no address, port or socket error text.
    const text = JSON.stringify(during.body);
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|:\d{4,5}\b/);
    expect(text).not.toContain(String(meteringData.port));

    // The gateway's log line for it: which subgraph, why (a code), and the request it belonged to.
    const logged = stack.gatewayLogLines().filter((line) => line.event === 'subgraph_unavailable');
    expect(logged).toEqual([
      {
        event: 'subgraph_unavailable',
        at: expect.any(String),
        requestId: expect.stringMatching(/\S/),
        participant: 'SUPA',
        role: 'SUPPLIER',
        serviceName: 'metering-data',
        cause: 'ECONNREFUSED',
      },
    ]);

    // Back on its port: the same gateway answers in full, the README's example included.
    await meteringData.start();
    expect(stack.gateway.running).toBe(true);
    const after = await stack.query(TWO_SUBGRAPHS, { mpanCore }, SUPA);
    expect(after.body).toEqual(before.body);
    const example = await stack.query(EXAMPLE_QUERY, EXAMPLE_VARIABLES, SUPA);
    expect(example.body).toEqual(readmeExampleAnswer());
  }, 120_000);

  it('names the subgraph another subgraph could not ask (a scope owner), and the submission goes through once it is back', async () => {
    const appointment = stack.subgraph('appointment');
    const mpanCore = buildDemoDataset(TEST_NOW).meteringPoints[2].mpanCore;
    const input = {
      intervals: [
        { mpanCore, quantity: 'ACTIVE_IMPORT', utcStart: '2026-08-01T00:00:00Z', periodMinutes: 30, value: '0.25', quality: 'ACTUAL' },
      ],
    };
    await appointment.kill('SIGKILL');
    // metering-data asks appointment which metering points the data service is appointed to; it cannot.
    const during = await stack.query(SUBMIT, { input }, SDSA);
    expect(during.body).toEqual({
      data: null,
      errors: [
        {
          message: 'The appointment subgraph is unavailable, so nothing was read or written; retry later',
          path: ['submitConsumption'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'metering-data' },
        },
      ],
    });
    // metering-data logs it as a warning with the request id.
    await eventually(() =>
      expect(stack.subgraphLogLines('metering-data')).toContainEqual(
        expect.objectContaining({
          level: 40,
          code: 'SUBGRAPH_UNAVAILABLE',
          requestId: expect.stringMatching(/\S/),
          msg: expect.stringContaining('appointment'),
        }),
      ),
    );
    await appointment.start();
    expect((await stack.query(SUBMIT, { input }, SDSA)).body).toEqual({
      data: { submitConsumption: { accepted: 1, unchanged: 0, newVersions: 0, rejected: 0 } },
    });
  }, 120_000);
});
