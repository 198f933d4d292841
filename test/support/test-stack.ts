import { readCommittedSupergraph } from '../../scripts/lib/compose-supergraph';
import { startStack, RunningStack } from '../../scripts/lib/start-stack';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestStack extends RunningStack {
  database: TestDatabase;
  /** POSTs a GraphQL operation to the gateway and returns the HTTP status and parsed body. */
  query(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** Statements each subgraph's pool has run so far, by subgraph name. */
  statementCounts(): Record<string, number>;
  close(): Promise<void>;
}

/** The whole product on ports 0 over real HTTP, on this test's own copy of the demo database. */
export async function startTestStack(): Promise<TestStack> {
  const database = await createTestDatabase('demo');
  const stack = await startStack({ databaseUrl: database.url, supergraphSdl: readCommittedSupergraph(), gatewayPort: 0 });
  return {
    ...stack,
    database,
    async query(query, variables) {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    statementCounts: () => Object.fromEntries(stack.subgraphs.map((s) => [s.name, s.db.statementCount])),
    async close() {
      await stack.stop();
      await database.drop();
    },
  };
}
