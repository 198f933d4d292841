import type { FastifyInstance } from 'fastify';
import { subgraphs } from '../../subgraphs';
import { buildSubgraphApp } from '../../subgraphs/kit/build-subgraph-app';
import { createDatabase, Database } from '../../subgraphs/kit/db';
import { createTestDatabase, TestDatabase } from './test-database';
import { Actor, testKeys } from './test-keys';
import { INTERNAL_CONTEXT_HEADER } from '../../core';
import { testClock, TestClock } from './test-clock';

/** A GraphQL error as a subgraph formats it: every one carries `extensions.code`. */
export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: { code?: string; reason?: string; [key: string]: unknown };
}

/** A GraphQL response body; `data` is loosely typed because each test asserts the shape it asked for. */
export interface GraphQLBody {
  data?: any;
  errors?: GraphQLErrorBody[];
}

/** The four subgraph apps (no ports) on one test database of their own. */
export interface SubgraphHarness {
  /**
   * Sends one operation to the named subgraph through `app.inject` with a signed internal context for `as` (default:
   * the harness's actor) at the harness clock's instant; fails when the HTTP status is not 200.
   */
  query(subgraph: string, query: string, variables?: Record<string, unknown>, as?: Actor): Promise<GraphQLBody>;
  app(subgraph: string): FastifyInstance;
  /** The business clock requests are signed with: at TEST_NOW until the test moves it. */
  clock: TestClock;
  /** The named subgraph's pool: its `statementCount` shows how many SQL statements a request ran. */
  database(subgraph: string): Database;
  close(): Promise<void>;
}

/**
 * Copies the demo-seeded template into a database of this test file's own and builds every subgraph's app on it (or
 * only the ones named). Call `close` in afterAll: it closes the apps and pools and drops the database.
 */
export async function openSubgraphs(
  _onlyFor?: readonly string[],
  actor: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' },
): Promise<SubgraphHarness> {
  const keys = await testKeys();
  const clock = testClock();
  const testDatabase: TestDatabase = await createTestDatabase('demo');
  const pools: Database[] = [];
  const apps = new Map<string, FastifyInstance>();
  const databases = new Map<string, Database>();
  // Tests go through inject, but a subgraph asks the scope owner over HTTP, so every app also listens on a free port.
  const subgraphUrls: Record<string, string> = {};
  try {
    // Every subgraph is built, whichever a test is for: the scope owner of its actor may be any of them.
    for (const subgraph of subgraphs) {
      const db = createDatabase(testDatabase.url, { maxConnections: 4, applicationName: `test-${subgraph.name}` });
      pools.push(db);
      databases.set(subgraph.name, db);
      const built = await buildSubgraphApp({
        subgraph,
        db,
        contextVerifier: keys.security.contextVerifier,
        questionKey: keys.security.questionKey,
        subgraphUrls,
        logRefusal: () => {},
      });
      await built.listen({ host: '127.0.0.1', port: 0 });
      subgraphUrls[subgraph.name] = `http://127.0.0.1:${(built.server.address() as { port: number }).port}/graphql`;
      apps.set(subgraph.name, built);
    }
  } catch (error) {
    await Promise.all(pools.map((db) => db.close()));
    await testDatabase.drop();
    throw error;
  }

  const app = (name: string): FastifyInstance => {
    const found = apps.get(name);
    if (!found) throw new Error(`subgraph "${name}" was not opened; opened: ${[...apps.keys()].join(', ')}`);
    return found;
  };

  return {
    app,
    clock,
    database(name) {
      const found = databases.get(name);
      if (!found) throw new Error(`subgraph "${name}" was not opened`);
      return found;
    },
    async query(name, query, variables, as = actor) {
      const payload = JSON.stringify({ query, variables });
      const headers = {
        'content-type': 'application/json',
        [INTERNAL_CONTEXT_HEADER]: await keys.internalContext(as, { audience: name, body: payload }, clock.now()),
      };
      const response = await app(name).inject({ method: 'POST', url: '/graphql', headers, payload });
      if (response.statusCode !== 200) {
        throw new Error(`${name} answered HTTP ${response.statusCode}: ${response.body}`);
      }
      return response.json<GraphQLBody>();
    },
    async close() {
      await Promise.all([...apps.values()].map((a) => a.close()));
      await Promise.all(pools.map((db) => db.close()));
      await testDatabase.drop();
    },
  };
}

/** Writes a decimal string in its shortest exact form ("0.250" → "0.25", "3.000" → "3"), as the subgraphs return it. */
export function shortestDecimal(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

/** An `_entities` operation selecting `selection` on `typename`; pass the representations as variable `r`. */
export function entitiesQuery(typename: string, selection: string): string {
  return `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`;
}
