import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { startStack, RunningStack } from '../../dev/start-stack';
import { createTestDatabase, TestDatabase } from './test-database';
import { Actor, testKeys } from './test-keys';
import type { AuditEntry } from '../../gateway/audit';
import type { EdgeSettings } from '../../gateway/limits/edge-settings';
import { testClock, TestClock } from './test-clock';

export interface TestStack extends RunningStack {
  database: TestDatabase;
  /** The gateway's business clock: at TEST_NOW until the test moves it. */
  clock: TestClock;
  /** POSTs a GraphQL operation to the gateway with a real token for `as` and returns the HTTP status and parsed body. */
  query(query: string, variables: Record<string, unknown> | undefined, as: Actor): Promise<{ status: number; body: any }>;
  /** POSTs with exactly these headers (for authentication tests). */
  post(body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any; text: string }>;
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
  options: { accessEnforcement?: boolean; clock?: TestClock; corsOrigins?: string[]; edge?: EdgeSettings } = {},
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
    edge: options.edge,
    audit: (entry) => auditLog.push(entry),
  });
  const post = async (body: unknown, headers: Record<string, string>) => {
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
    return { status: response.status, body: parsed as any, text };
  };
  return {
    ...stack,
    database: db,
    clock,
    auditLog,
    token: (actor, ttl) => keys.token(actor, ttl),
    post,
    async query(query, variables, as) {
      const { status, body } = await post({ query, variables }, { authorization: `Bearer ${await keys.token(as)}` });
      return { status, body };
    },
    statementCounts: () => Object.fromEntries(stack.subgraphs.map((s) => [s.name, s.db.statementCount])),
    async close() {
      await stack.stop();
      await db.drop();
    },
  };
}
