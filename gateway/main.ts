/**
 * Runs the gateway alone (docker-compose, production): supergraph from SUPERGRAPH_FILE, each subgraph at the URL the
 * supergraph names unless its `<NAME>_URL` environment variable overrides it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGateway } from './build-gateway';
import { subgraphUrlsFromSupergraph } from './supergraph-urls';
import { accessEnforcementFromEnv } from './access-mode';
import { corsOriginsFromEnv } from './cors';
import { loggerFromEnv } from '../subgraphs/kit/log-level';
import { loadStackSecurity } from '../scripts/lib/security';
import { dataDirFromEnv } from '../scripts/lib/data-dir';

async function main(): Promise<void> {
  const supergraphFile = process.env.SUPERGRAPH_FILE ?? join(__dirname, '..', 'schema', 'supergraph.graphql');
  const security = await loadStackSecurity(process.env, dataDirFromEnv());
  const supergraphSdl = readFileSync(supergraphFile, 'utf8');
  const app = await buildGateway({
    supergraphSdl,
    subgraphUrls: subgraphUrlsFromSupergraph(supergraphSdl),
    tokenVerifier: security.tokenVerifier,
    internalContextKey: security.internalContextKey,
    devTokens: security.devTokens,
    accessEnforcement: accessEnforcementFromEnv(),
    logger: loggerFromEnv(),
    corsOrigins: corsOriginsFromEnv(),
  });
  const port = Number(process.env.PORT ?? 4000);
  await app.listen({ host: process.env.HOST ?? '127.0.0.1', port });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void app.close().then(() => process.exit(0)));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
