import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { startStack, RunningStack } from '../../dev/start-stack';
import { createTestDatabase, TestDatabase } from './test-database';
import { Actor, testKeys } from './test-keys';
import type { AuditEntry } from '../../gateway/audit';
import type { EdgeSettings } from '../../gateway/limits/edge-settings';
import { testClock, TestClock } from './test-clock';
import type { LoggerSetting } from '../../core';
import { DEFAULT_RELAY_MS, DEFAULT_SWEEP_MS, type TimedWorkSettings } from '../../subgraphs/kit/timed-work';

export interface TestStack extends RunningStack {
  database: TestDatabase;
  /** The gateway's business clock: at TEST_NOW until the test moves it. */
  clock: TestClock;
  /** POSTs a GraphQL operation to the gateway with a real token for `as` and returns the HTTP status and parsed body. */
  query(query: string, variables: Record<string, unknown> | undefined, as: Actor): Promise<{ status: number; body: any }>;
  /** POSTs with exactly these headers (for authentication tests). */
  post(body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any; text: string }>;
  /** As `post`, with the answer's headers too (x-request-id differs per request, so `post` leaves them out). */
  postWithHeaders(body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  /** Refusals the gateway wrote to its audit log. */
  auditLog: AuditEntry[];
  token(actor: Actor, ttl?: string): Promise<string>;
  /** Statements each subgraph's pool has run so far, by subgraph name. */
  statementCounts(): Record<string, number>;
  close(): Promise<void>;
}

/** The whole product on ports 0 over real HTTP, on this test's own copy of the demo database. */
export async function startTestStack(
  database?: TestDatabase,
  options: {
    accessEnforcement?: boolean;
    clock?: TestClock;
    corsOrigins?: string[];
    edge?: EdgeSettings;
    logger?: LoggerSetting;
    /** The subgraphs' sweeps (on this stack's clock) and, with a Redis URL, the outbox relay; off when absent. */
    timedWork?: Partial<Omit<TimedWorkSettings, 'clock'>>;
    /** The gateway's message stream: its poll interval, and the Redis it blocks on (MESSAGE_FEED_REDIS_URL). */
    messageStream?: { pollMs?: number; redisUrl?: string };
  } = {},
): Promise<TestStack> {
  const clock = options.clock ?? testClock();
  const db = database ?? (await createTestDatabase('demo'));
  const keys = await testKeys();
  const auditLog: AuditEntry[] = [];
  const stack = await startStack({
    databaseUrl: db.url,
    supergraphSdl: readCommittedSupergraph(),
    gatewayPort: 0,
    security: keys.security,
    clock,
    accessEnforcement: options.accessEnforcement,
    corsOrigins: options.corsOrigins,
    logger: options.logger,
    edge: options.edge,
    audit: (entry) => auditLog.push(entry),
    timedWork: options.timedWork && { clock, sweepMs: DEFAULT_SWEEP_MS, relayMs: DEFAULT_RELAY_MS, ...options.timedWork },
    messageStreamPollMs: options.messageStream?.pollMs,
    messageFeedRedisUrl: options.messageStream?.redisUrl,
  });
  const postWithHeaders = async (body: unknown, headers: Record<string, string>) => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed as any, text, headers: response.headers };
  };
  return {
    ...stack,
    database: db,
    clock,
    auditLog,
    token: (actor, ttl) => keys.token(actor, ttl),
    post: async (body, headers) => {
      const { status, body: parsed, text } = await postWithHeaders(body, headers);
      return { status, body: parsed, text };
    },
    postWithHeaders,
    async query(query, variables, as) {
      const { status, body } = await postWithHeaders({ query, variables }, { authorization: `Bearer ${await keys.token(as)}` });
      return { status, body };
    },
    statementCounts: () => Object.fromEntries(stack.subgraphs.map((s) => [s.name, s.db.statementCount])),
    async close() {
      await stack.stop();
      await db.drop();
    },
  };
}
