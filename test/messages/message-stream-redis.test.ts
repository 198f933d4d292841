import { buildDemoDataset } from '../../dev/build-dataset';
import { startTestStack, type TestStack } from '../support/test-stack';
import { TEST_NOW } from '../support/test-clock';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { openStream, readMessages, requestSdsb, SDSB, SUPB } from './support';

// Many replicas (README "Messages"): with MESSAGE_FEED_REDIS_URL each subgraph relays its outbox to Redis Streams
// (Debian's redis-server here), and an idle /graphql/stream blocks on the caller's participant and role streams
// instead of polling. The poll interval is set to 60 s, so a message that arrives within a second was woken by Redis;
// the stream still reads it through `messages`, so it carries the same id and cursor as the feed query (PRI-021, PRI-025).

const dataset = buildDemoDataset(TEST_NOW);
const mpan = (index: number) => dataset.meteringPoints[index].mpanCore;
/**
 * Far below the 60 s poll, so only the Redis wake-up can deliver this fast. Typically a few hundred ms (the relay
 * round, XREAD's wake, then one `messages` query across the subgraphs); the bound leaves room for a loaded machine.
 */
const WAKE_WITHIN_MS = 5000;

let redis: RedisServer;
let stack: TestStack;

beforeAll(async () => {
  redis = await startRedisServer();
  stack = await startTestStack(undefined, {
    timedWork: { messageFeedRedisUrl: redis.url, relayMs: 20 },
    messageStream: { pollMs: 60_000, redisUrl: redis.url },
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await redis?.stop();
});

it('wakes an idle stream within seconds of a write though it would poll only every 60 s', async () => {
  const stream = await openStream(stack, SDSB);
  // The stream opens idle (SDSB has no messages yet) and blocks on its Redis streams.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(stream.events).toEqual([]);

  const delays: number[] = [];
  // Smart metering points of SUPB with SDSA in force and nothing pending: each request is one message for SDSB.
  for (const [i, index] of [4, 22, 34].entries()) {
    await requestSdsb(stack, SUPB, mpan(index));
    // Committed when the mutation answers: from here on only the relay and the wake-up stand between it and the stream.
    const committed = Date.now();
    const deadline = committed + 10_000;
    while (stream.events.length <= i && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    delays.push(Date.now() - committed);
  }
  await stream.close();
  expect(stream.errors).toEqual([]);
  // Each arrived long before the poll interval: Redis woke the stream.
  for (const delay of delays) expect(delay).toBeLessThan(WAKE_WITHIN_MS);
  // The same messages, ids and cursors as the feed query gives: Redis is only the wake-up signal.
  const feed = await readMessages(stack, SDSB);
  expect(stream.events.map((event) => event.node.id)).toEqual(feed.edges.map((edge) => edge.node.id));
  expect(stream.events.map((event) => event.cursor)).toEqual(feed.edges.map((edge) => edge.cursor));
  expect(stream.events.map((event) => event.node.mpanCore)).toEqual([4, 22, 34].map(mpan));
  // Each subgraph process relayed its outbox: SDSB's Redis stream holds the three appointment messages.
  expect(await redis.client.xlen('mhhs:messages:participant:SDSB')).toBe(3);
}, 60_000);
