/**
 * The bench's subgraph process: all four subgraphs in one Node process of their own (as `startStack` starts them, but
 * without a gateway), so no gateway shares their event loop. Env: DATABASE_URL, DATA_DIR (dev keys),
 * BENCH_SUBGRAPH_PORTS (JSON: subgraph name → port). Listens on 127.0.0.1; SIGTERM closes servers and pools.
 */
import { createDatabase, type Database } from '../../../subgraphs/kit/db';
import { buildSubgraphApp } from '../../../subgraphs/kit/build-subgraph-app';
import { subgraphs } from '../../../subgraphs';
import { loadStackSecurity } from '../security';
import { dataDirFromEnv } from '../data-dir';
import type { FastifyInstance } from 'fastify';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const ports = JSON.parse(process.env.BENCH_SUBGRAPH_PORTS ?? '{}') as Record<string, number>;
  const security = await loadStackSecurity(process.env, dataDirFromEnv());
  // Known up front, so a subgraph can reach a scope owner that starts after it.
  const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, `http://127.0.0.1:${ports[s.name]}/graphql`]));
  const running: { app: FastifyInstance; db: Database }[] = [];
  for (const subgraph of subgraphs) {
    if (!ports[subgraph.name]) throw new Error(`BENCH_SUBGRAPH_PORTS has no port for ${subgraph.name}`);
    const db = createDatabase(databaseUrl, { applicationName: `mhhs-bench-${subgraph.name}` });
    const app = await buildSubgraphApp({ subgraph, db, contextVerifier: security.contextVerifier, subgraphUrls });
    await app.listen({ host: '127.0.0.1', port: ports[subgraph.name] });
    running.push({ app, db });
  }
  process.once('SIGTERM', () => {
    void Promise.allSettled(running.map(async ({ app, db }) => {
      await app.close();
      await db.close();
    })).then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
