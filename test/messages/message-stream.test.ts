import { buildDemoDataset } from '../../dev/build-dataset';
import { startTestStack, TestStack } from '../support/test-stack';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_NOW } from '../support/test-clock';
import { openStream, readMessages, requestSdsb, SDSB, STREAM, SUPA, SUPB } from './support';

// The pushed feed (README "Messages"): GraphQL over SSE on /graphql/stream, the same token and the same rules as
// /graphql, resumable from a cursor. The exactly-once test restarts the whole stack (gateway and every subgraph)
// while a stream is open, then resumes on the new stack from the last cursor processed (PRI-025).

const dataset = buildDemoDataset(TEST_NOW);
const mpan = (index: number) => dataset.meteringPoints[index].mpanCore;

describe('the message stream', () => {
  let database: TestDatabase;
  let stack: TestStack | undefined;
  beforeAll(async () => {
    database = await createTestDatabase('demo');
  });
  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('delivers every message exactly once by id across a restart of the whole stack during a stream (PRI-025)', async () => {
    stack = await startTestStack(database);
    // Smart metering points with SDSA in force and nothing pending: each request is one message for SDSB.
    await requestSdsb(stack, SUPB, mpan(4));
    await requestSdsb(stack, SUPB, mpan(22));
    const first = await openStream(stack, SDSB);
    await first.until(2);
    // Written while the stream is open: pushed without asking.
    await requestSdsb(stack, SUPB, mpan(34));
    await first.until(3);
    const processed = [...first.events];

    // The whole stack stops while the stream is open; messages keep being written on the new one before the
    // participant reconnects.
    await stack.stop();
    await first.done;
    stack = await startTestStack(database);
    await requestSdsb(stack, SUPA, mpan(12));
    await requestSdsb(stack, SUPA, mpan(24));

    const resumed = await openStream(stack, SDSB, processed[processed.length - 1].cursor);
    await resumed.until(2);
    await requestSdsb(stack, SUPA, mpan(42));
    await resumed.until(3);
    // Nothing more arrives than was written.
    await new Promise((r) => setTimeout(r, 1500));
    await resumed.close();

    const ids = [...processed, ...resumed.events].map((event) => event.node.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect([...processed, ...resumed.events].map((event) => event.node.mpanCore)).toEqual([4, 22, 34, 12, 24, 42].map(mpan));
    // The same messages, with the same ids, as the feed query gives.
    expect((await readMessages(stack, SDSB)).edges.map((edge) => edge.node.id)).toEqual(ids);
  }, 60_000);

  it('streams only the caller’s own messages, and refuses a stream without a valid token like /graphql (PRI-021)', async () => {
    stack ??= await startTestStack(database);
    const other = await openStream(stack, { role: 'SMART_DATA_SERVICE', participant: 'SDSA' });
    await new Promise((r) => setTimeout(r, 1500));
    await other.close();
    expect(other.events).toEqual([]);
    expect(other.errors).toEqual([]);

    const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/graphql/stream'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: STREAM }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  }, 30_000);
});
