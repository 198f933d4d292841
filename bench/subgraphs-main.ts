/**
 * The bench's subgraph process: all four subgraphs in one Node process of their own (`startSubgraphs`, as `startStack`
 * starts them, but without a gateway), so no gateway shares their event loop. Env: DATABASE_URL, DATA_DIR (dev keys),
 * BENCH_SUBGRAPH_PORTS (JSON: subgraph name → port). Listens on 127.0.0.1; SIGTERM closes servers and pools.
 */
import { subgraphs } from '../subgraphs';
import { startSubgraphs, stopSubgraphs } from '../dev/start-stack';
import { loadStackSecurity } from '../dev/security';
import { dataDirFromEnv } from '../dev/data-dir';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const ports = JSON.parse(process.env.BENCH_SUBGRAPH_PORTS ?? '{}') as Record<string, number>;
  for (const subgraph of subgraphs) if (!ports[subgraph.name]) throw new Error(`BENCH_SUBGRAPH_PORTS has no port for ${subgraph.name}`);
  const security = await loadStackSecurity(process.env, dataDirFromEnv());
  const running = await startSubgraphs({
    databaseUrl,
    contextVerifier: security.contextVerifier,
    questionKey: security.questionKey,
    ports,
  });
  process.once('SIGTERM', () => void stopSubgraphs(running).then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
