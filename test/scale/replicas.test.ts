import { startTestStack, type TestStack } from '../support/test-stack';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_NOW } from '../support/test-clock';
import { readmeExampleAnswer, readmeExampleOperation } from '../support/readme-example';
import type { Actor } from '../support/test-keys';
import { ACKNOWLEDGE, MESSAGES, REQUEST, utcDay } from '../messages/support';
import { buildDemoDataset } from '../../dev/build-dataset';
import { DEMO_ACTORS } from '../../dev/demo-actors';
import { readPlaygroundExamples } from '../../gateway/playground/examples';
import { subgraphs } from '../../subgraphs';
import { GATEWAY_TIER, startReplicaStack, type ReplicaStack } from './replica-stack';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import type { ServerStats } from './haproxy';

/**
 * Issue 16, part 4: two gateways and two of each subgraph behind HAProxy (Debian's), one PostgreSQL. DESIGN.md says
 * nothing may assume a single process; this shows it: the answers are those of a single-process stack, requests reach
 * both replicas of every tier, what one replica writes the other reads, the message feed's acknowledgement and the
 * rate limit (shared through Redis: RATE_LIMIT_REDIS_URL) hold across replicas, and killing one replica of every tier
 * leaves the answers flowing.
 */

const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
const SDSB: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSB' };
/** Used by the rate-limit case alone, so no other case spends its bucket. */
const SUPC: Actor = { role: 'SUPPLIER', participant: 'SUPC' };
const RATE_LIMIT_CAPACITY = 60;

const dataset = buildDemoDataset(TEST_NOW);
const actorOf = (role: string): Actor => {
  const actor = DEMO_ACTORS.find((a) => a.role === role);
  if (!actor) throw new Error(`no demo actor for ${role}`);
  return { role: actor.role, participant: actor.participant };
};
/** Every read the playground offers, each as its role's demo participant: the whole graph, every subgraph. */
const READS = readPlaygroundExamples().filter((example) => !/^\s*(mutation|subscription)\b/.test(example.query));

let singleDatabase: TestDatabase;
let replicaDatabase: TestDatabase;
let single: TestStack;
let replicated: ReplicaStack;
let redis: RedisServer;

beforeAll(async () => {
  [singleDatabase, replicaDatabase, redis] = await Promise.all([
    createTestDatabase('demo'),
    createTestDatabase('demo'),
    startRedisServer(),
  ]);
  single = await startTestStack(singleDatabase);
  replicated = await startReplicaStack(replicaDatabase.url, {
    gatewayEnv: {
      RATE_LIMIT_MAX: String(RATE_LIMIT_CAPACITY),
      RATE_LIMIT_REFILL_PER_SECOND: '1',
      RATE_LIMIT_REDIS_URL: redis.url,
    },
  });
}, 400_000);

afterAll(async () => {
  await replicated?.stop();
  await single?.close();
  await redis?.stop();
  await replicaDatabase?.drop();
}, 60_000);

/** Responses per replica since `before`. */
function served(before: ServerStats[], after: ServerStats[]): Record<string, number> {
  return Object.fromEntries(
    after.map((row) => [row.server, row.responses - (before.find((b) => b.server === row.server)?.responses ?? 0)]),
  );
}

describe('two replicas of every tier behind HAProxy, one PostgreSQL (issue 16, part 4)', () => {
  it('has two replicas of the gateway and of each subgraph, all UP in HAProxy', async () => {
    const stats = await replicated.haproxy.stats();
    const tiers = [...subgraphs.map((s) => s.name), GATEWAY_TIER];
    expect(stats.map((row) => `${row.server}:${row.status}`).sort()).toEqual(tiers.flatMap((t) => [`${t}-1:UP`, `${t}-2:UP`]).sort());
    for (const tier of tiers) expect(replicated.replicas(tier).map((p) => p.running)).toEqual([true, true]);
  });

  it('answers every playground read exactly as a single-process stack does, and spreads them over both replicas of every tier', async () => {
    expect(READS.length).toBeGreaterThan(20);
    const before = await replicated.haproxy.stats();
    for (const example of READS) {
      const as = actorOf(example.role);
      const expected = await single.query(example.query, example.variables, as);
      expect({ example: `${example.role}/${example.name}`, status: expected.status }).toEqual({
        example: `${example.role}/${example.name}`,
        status: 200,
      });
      // Twice through HAProxy: round robin sends the two to different gateway replicas.
      for (let round = 0; round < 2; round++) {
        const answer = await replicated.query(example.query, example.variables, as);
        expect({ example: `${example.role}/${example.name}`, status: answer.status, body: answer.body }).toEqual({
          example: `${example.role}/${example.name}`,
          status: expected.status,
          body: expected.body,
        });
      }
    }
    const counts = served(before, await replicated.haproxy.stats());
    // Every replica of every tier answered, and the busier of a pair took at most three quarters of its tier.
    for (const tier of [...subgraphs.map((s) => s.name), GATEWAY_TIER]) {
      const [first, second] = [counts[`${tier}-1`], counts[`${tier}-2`]];
      expect({ tier, first: first > 0, second: second > 0 }).toEqual({ tier, first: true, second: true });
      expect(Math.max(first, second) / (first + second)).toBeLessThanOrEqual(0.75);
    }
    expect(counts[`${GATEWAY_TIER}-1`] + counts[`${GATEWAY_TIER}-2`]).toBe(2 * READS.length);
  }, 300_000);

  it('what one gateway replica writes, the other reads, whichever subgraph replica answers; the feed acknowledgement is shared', async () => {
    const [viaFirst, viaSecond] = replicated.gatewayReplicaUrls;
    const mpanCore = dataset.meteringPoints[4].mpanCore;
    const requested = await replicated.query(
      REQUEST,
      {
        input: {
          mpanCore,
          serviceRole: 'SMART_DATA_SERVICE',
          provider: 'SDSB',
          scenario: 'CHANGE_OF_SERVICE_PROVIDER',
          effectiveFrom: utcDay(7),
          contractReference: `CTR-SUPB-${mpanCore}`,
        },
      },
      SUPB,
      viaFirst,
    );
    expect(requested.body.errors).toBeUndefined();
    const appointmentId = requested.body.data.requestAppointment.id;

    // Read four times through the other gateway: its calls alternate between both replicas of each subgraph.
    const feeds = [];
    for (let i = 0; i < 4; i++) feeds.push((await replicated.query(MESSAGES, {}, SDSB, viaSecond)).body);
    for (const feed of feeds) expect(feed).toEqual(feeds[0]);
    const edges = feeds[0].data.messages.edges;
    expect(edges.map((edge: any) => edge.node.type)).toContain('APPOINTMENT_REQUESTED');
    const request = edges.find((edge: any) => edge.node.type === 'APPOINTMENT_REQUESTED');
    expect(JSON.parse(request.node.payload)).toMatchObject({ appointmentId, supplierId: 'SUPB' });

    // Acknowledged through one replica: the feed through the other continues after it, on every subgraph replica.
    const acknowledged = await replicated.query(ACKNOWLEDGE, { cursor: request.cursor }, SDSB, viaFirst);
    expect(acknowledged.body.errors).toBeUndefined();
    const after = edges.slice(edges.indexOf(request) + 1).map((edge: any) => edge.node.id);
    for (let i = 0; i < 4; i++) {
      const feed = (await replicated.query(MESSAGES, {}, SDSB, viaSecond)).body;
      expect(feed.data.messages.edges.map((edge: any) => edge.node.id)).toEqual(after);
    }
  }, 120_000);

  it('shares the rate limit between the gateway replicas through RATE_LIMIT_REDIS_URL (one bucket per participant)', async () => {
    const before = await replicated.haproxy.stats();
    const started = performance.now();
    const statuses: number[] = [];
    // 100 requests in batches of 10: each replica gets about 50, under its capacity of 60, so only a shared bucket
    // refuses any.
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => replicated.query('{ __typename }', undefined, SUPC)));
      statuses.push(...answers.map((answer) => answer.status));
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    const allowed = statuses.filter((status) => status === 200).length;
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    expect(allowed).toBeGreaterThanOrEqual(RATE_LIMIT_CAPACITY);
    // The capacity plus what refilled (one a second) while the test ran: far below the 100 two separate buckets allow.
    expect(allowed).toBeLessThanOrEqual(RATE_LIMIT_CAPACITY + Math.ceil(elapsedSeconds) + 1);
    const counts = served(before, await replicated.haproxy.stats());
    expect(counts[`${GATEWAY_TIER}-1`]).toBeGreaterThanOrEqual(40);
    expect(counts[`${GATEWAY_TIER}-2`]).toBeGreaterThanOrEqual(40);
  }, 120_000);

  it('keeps answering when one replica of every tier is killed', async () => {
    const { query, variables } = readmeExampleOperation();
    const supa = actorOf('SUPPLIER');
    const tiers = [...subgraphs.map((s) => s.name), GATEWAY_TIER];
    await Promise.all(tiers.map((tier) => replicated.replicas(tier)[0].kill('SIGKILL')));
    // At once, before HAProxy's health checks notice: a refused connection is retried on the surviving replica.
    for (let i = 0; i < 6; i++) {
      const answer = await replicated.query(query, variables, supa);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: readmeExampleAnswer() });
    }
    await expect(waitForDown(tiers.map((tier) => `${tier}-1`))).resolves.toBeUndefined();
    const answer = await replicated.query(query, variables, supa);
    expect(answer.body).toEqual(readmeExampleAnswer());
  }, 120_000);
});

/** Waits until HAProxy has marked `servers` DOWN (health checks every second, three failures). */
async function waitForDown(servers: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const stats = await replicated.haproxy.stats();
    const down = stats.filter((row) => servers.includes(row.server) && row.status.startsWith('DOWN')).map((row) => row.server);
    if (down.length === servers.length) return;
    if (Date.now() > deadline) throw new Error(`still not DOWN: ${JSON.stringify(stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
