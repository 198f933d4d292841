/**
 * The baseline in a process of its own: `startPlainGateway` on SUPERGRAPH_FILE at the subgraph URLs that file names,
 * the internal-context key from DATA_DIR's dev keys, listening on 127.0.0.1:PORT.
 */
import { readFileSync } from 'node:fs';
import { startPlainGateway } from './plain-gateway';
import { subgraphUrlsFromSupergraph } from '../gateway/supergraph-urls';
import { loadStackSecurity } from '../dev/security';
import { dataDirFromEnv } from '../dev/data-dir';

async function main(): Promise<void> {
  const supergraphFile = process.env.SUPERGRAPH_FILE;
  if (!supergraphFile) throw new Error('SUPERGRAPH_FILE is required');
  const security = await loadStackSecurity(process.env, dataDirFromEnv());
  const supergraphSdl = readFileSync(supergraphFile, 'utf8');
  const gateway = await startPlainGateway({
    supergraphSdl,
    subgraphUrls: subgraphUrlsFromSupergraph(supergraphSdl, {}),
    internalContextKey: security.internalContextKey,
    port: Number(process.env.PORT),
  });
  console.log(`plain @apollo/gateway on ${gateway.url}`);
  process.once('SIGTERM', () => void gateway.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
