/**
 * Runs one subgraph alone (docker-compose, production): `tsx scripts/serve-subgraph.ts <name>`; migrates its schema first.
 * Keys: the gateway's public context key from INTERNAL_CONTEXT_PUBLIC_JWK and the question key from
 * SUBGRAPH_QUESTION_PRIVATE_JWK, else the dev pairs in $DATA_DIR/keys.
 */
import { createDatabase } from '../subgraphs/kit/db';
import { migrate } from '../subgraphs/kit/migrate';
import { buildSubgraphApp } from '../subgraphs/kit/build-subgraph-app';
import { findSubgraph } from '../subgraphs';
import { timedWorkFromEnv } from '../subgraphs/kit/timed-work';
import {
  clockFromEnv,
  drainOnSignals,
  listenOrExplain,
  loggerFromEnv,
  metricsListenerFromEnv,
  portFromEnv,
  runMain,
  shutdownGraceMsFromEnv,
  startMetricsServer,
  startTracingFromEnv,
} from '../core';
import { loadSubgraphSecurity } from '../dev/security';
import { dataDirFromEnv } from '../dev/data-dir';
import { subgraphUrlsFromEnv } from '../subgraphs/subgraph-urls';

async function main(): Promise<void> {
  const subgraph = findSubgraph(process.argv[2] ?? '');
  const port = portFromEnv(process.env, 'PORT', subgraph.defaultPort);
  const graceMs = shutdownGraceMsFromEnv(process.env);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required, e.g. postgres://user:password@host:5432/mhhs');
  // OTLP traces when OTEL_EXPORTER_OTLP_ENDPOINT is set; /metrics on METRICS_PORT when set (README "Operating").
  startTracingFromEnv(subgraph.name);
  const metricsListener = metricsListenerFromEnv();
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
    metricsRoute: metricsListener === undefined,
    // Sweeps decide on the same business clock as the gateway (CLOCK_AT, or the machine's); MESSAGE_FEED_REDIS_URL relays.
    timedWork: timedWorkFromEnv(process.env, clockFromEnv(process.env)),
  });
  const metricsServer = metricsListener ? await startMetricsServer(metricsListener) : undefined;
  app.addHook('onClose', async () => void (await metricsServer?.close()));
  const lifecycle = drainOnSignals({
    graceMs,
    log: (line) => app.log.warn(`${subgraph.name}: ${line}`),
    onGraceExpired: () => app.server.closeAllConnections(),
  });
  // Stop accepting and finish the requests in flight, then close the pool they used (steps run last-added first).
  lifecycle.add({ name: `${subgraph.name}'s database pool`, run: () => db.close() });
  lifecycle.add({ name: subgraph.name, run: () => app.close() });
  await listenOrExplain(app, { host: process.env.HOST ?? '127.0.0.1', port, what: `subgraph ${subgraph.name}`, setting: 'PORT' });
}

runMain('serve-subgraph', main);
