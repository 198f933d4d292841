/**
 * Runs one subgraph alone (docker-compose, production): `tsx scripts/serve-subgraph.ts <name>`; migrates its schema first.
 * Keys: the gateway's public context key from INTERNAL_CONTEXT_PUBLIC_JWK and the question key from
 * SUBGRAPH_QUESTION_PRIVATE_JWK, else the dev pairs in $DATA_DIR/keys.
 */
import { createDatabase } from '../subgraphs/kit/db';
import { migrate } from '../subgraphs/kit/migrate';
import { buildSubgraphApp } from '../subgraphs/kit/build-subgraph-app';
import { findSubgraph } from '../subgraphs';
import { loggerFromEnv } from '../core';
import { loadSubgraphSecurity } from '../dev/security';
import { dataDirFromEnv } from '../dev/data-dir';
import { subgraphUrlsFromEnv } from '../subgraphs/subgraph-urls';

async function main(): Promise<void> {
  const subgraph = findSubgraph(process.argv[2] ?? '');
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required, e.g. postgres://user:password@host:5432/mhhs');
  const db = createDatabase(databaseUrl, { applicationName: `mhhs-${subgraph.name}` });
  await migrate(db, subgraph.dbSchema, subgraph.migrations);
  const { contextVerifier, questionKey } = await loadSubgraphSecurity(process.env, dataDirFromEnv());
  const app = await buildSubgraphApp({
    subgraph,
    db,
    contextVerifier,
    questionKey,
    subgraphUrls: subgraphUrlsFromEnv(),
    logger: loggerFromEnv(),
  });
  await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? subgraph.defaultPort) });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(
      signal,
      () =>
        void app
          .close()
          .then(() => db.close())
          .then(() => process.exit(0)),
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
