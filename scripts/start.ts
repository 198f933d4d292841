/**
 * `npm start`: embedded PostgreSQL (unless DATABASE_URL), migrations, demo data (unless SEED=none), the four subgraphs
 * on 4001–4004 and the gateway on PORT (4000). Ctrl-C stops everything.
 */
import { readFileSync } from 'node:fs';
import { subgraphs } from '../subgraphs';
import { SUPERGRAPH_PATH } from './lib/compose-supergraph';
import { resolveDatabase } from './lib/database-url';
import { migrateAll, writeDataset } from './lib/database-setup';
import { buildDemoDataset } from './lib/build-dataset';
import { startStack } from './lib/start-stack';
import { loadStackSecurity } from './lib/security';
import { dataDirFromEnv } from './lib/data-dir';
import { accessEnforcementFromEnv } from '../gateway/access-mode';
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
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping the gateway, the subgraphs and the database…`);
      void stop(0);
    });
  }
  try {
    await migrateAll(database.url);
    const seed = process.env.SEED ?? 'demo';
    if (seed === 'demo') await writeDataset(database.url, buildDemoDataset());
    else if (seed !== 'none') throw new Error(`SEED must be "demo" or "none", got "${seed}"`);

    const host = process.env.HOST ?? '127.0.0.1';
    const security = await loadStackSecurity(process.env, dataDirFromEnv());
    stack = await startStack({
      security,
      accessEnforcement: accessEnforcementFromEnv(),
      corsOrigins: corsOriginsFromEnv(),
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
