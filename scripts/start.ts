/**
 * `npm start`: embedded PostgreSQL (unless DATABASE_URL), migrations, demo data (unless SEED=none), the four subgraphs
 * on 4001–4004 and the gateway on PORT (4000). Ctrl-C stops everything.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { subgraphs } from '../subgraphs';
import { SUPERGRAPH_PATH } from '../dev/compose-supergraph';
import { resolveDatabase } from '../dev/database-url';
import { migrateAll, writeDataset } from '../dev/database-setup';
import { buildDemoDataset } from '../dev/build-dataset';
import { startStack, type RunningStack } from '../dev/start-stack';
import { edgeSettingsFromEnv } from '../gateway/limits/edge-settings';
import { loadStackSecurity } from '../dev/security';
import { dataDirFromEnv } from '../dev/data-dir';
import { accessEnforcementFromEnv } from '../gateway/access-mode';
import {
  clockFromEnv,
  drainOnSignals,
  loggerFromEnv,
  metricsListenerFromEnv,
  portFromEnv,
  reportStartupError,
  runMain,
  shutdownGraceMsFromEnv,
  startMetricsServer,
  startTracingFromEnv,
  StartupError,
} from '../core';
import { corsOriginsFromEnv } from '../gateway/cors';
import { messageStreamPollMsFromEnv } from '../gateway/message-stream';
import { timedWorkFromEnv } from '../subgraphs/kit/timed-work';

/** REGISTRATION_URL → REGISTRATION_PORT: the port variable of a subgraph under `npm start`. */
const portEnvOf = (urlEnv: string) => urlEnv.replace(/_URL$/, '_PORT');

async function main(): Promise<void> {
  const started = Date.now();
  const progress = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  // Every setting is read before anything starts, so a bad one costs one line and no clean-up.
  const env = process.env;
  const clock = clockFromEnv(env); // business time: the machine's clock, or the instant CLOCK_AT pins
  const host = env.HOST ?? '127.0.0.1';
  const gatewayPort = portFromEnv(env, 'PORT', 4000);
  const subgraphPorts = Object.fromEntries(subgraphs.map((s) => [s.name, portFromEnv(env, portEnvOf(s.urlEnv), s.defaultPort)]));
  const seed = env.SEED ?? 'demo';
  if (seed !== 'demo' && seed !== 'none') throw new StartupError(`SEED must be "demo" or "none", got "${seed}"`);
  const accessEnforcement = accessEnforcementFromEnv();
  const corsOrigins = corsOriginsFromEnv();
  const edge = edgeSettingsFromEnv(env);
  const metricsListener = metricsListenerFromEnv(env);

  // This one process owns SIGINT and SIGTERM (`npm start` execs it): it drains the gateway, then the subgraphs, then
  // stops PostgreSQL, which runs in a process group of its own so a terminal's Ctrl-C reaches only this process.
  let stack: RunningStack | undefined;
  const lifecycle = drainOnSignals({
    graceMs: shutdownGraceMsFromEnv(env),
    log: (line) => console.log(line),
    onGraceExpired: () =>
      [stack?.gateway, ...(stack?.subgraphs.map((s) => s.app) ?? [])].forEach((app) => app?.server.closeAllConnections()),
  });
  try {
    progress(env.DATABASE_URL ? 'connecting to DATABASE_URL' : 'starting the embedded PostgreSQL');
    const database = await resolveDatabase(env, progress);
    lifecycle.add({ name: 'the database', run: database.stop });
    progress(`migrating ${database.description}`);
    await migrateAll(database.url);
    if (seed === 'demo') {
      progress('loading the demo data (seeding twice changes nothing)');
      await writeDataset(database.url, buildDemoDataset(clock.now()));
    }
    progress('starting the subgraphs and the gateway');
    const security = await loadStackSecurity(env, dataDirFromEnv());
    // One process hosts every service: one tracer provider, one metrics registry (README "Operating").
    const tracing = startTracingFromEnv('mhhs-data-gateway', env);
    stack = await startStack({
      security,
      clock,
      accessEnforcement,
      corsOrigins,
      edge,
      logger: loggerFromEnv(),
      metricsRoute: metricsListener === undefined,
      databaseUrl: database.url,
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      host,
      gatewayPort,
      subgraphPorts,
      // Each subgraph's sweep on the business clock, and with MESSAGE_FEED_REDIS_URL the relay and the stream's wake-up.
      timedWork: timedWorkFromEnv(env, clock),
      messageFeedRedisUrl: env.MESSAGE_FEED_REDIS_URL?.trim() || undefined,
      messageStreamPollMs: messageStreamPollMsFromEnv(env),
    });
    const running = stack;
    // Stops the gateway first (no new requests, those in flight finish), then each subgraph and its pool.
    lifecycle.add({ name: 'the gateway and the subgraphs', run: () => running.stop() });
    const metricsServer = metricsListener ? await startMetricsServer(metricsListener) : undefined;
    if (metricsServer) lifecycle.add({ name: 'the metrics listener', run: () => metricsServer.close() });
    const url = stack.gatewayUrl.replace('127.0.0.1', 'localhost');
    const metricsUrl = metricsServer
      ? `http://${metricsListener!.host}:${(metricsServer.server.address() as AddressInfo).port}/metrics`
      : url.replace('/graphql', '/metrics');
    console.log(`
MHHS data gateway is up in ${((Date.now() - started) / 1000).toFixed(1)} s
  GraphQL endpoint   ${url}   (open it in a browser for the playground)
  health             ${url.replace('/graphql', '/healthz')}   readiness ${url.replace('/graphql', '/readyz')}
  metrics            ${metricsUrl}   traces ${tracing ? `OTLP to ${env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT}` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT)'}
  logs               JSON lines on stdout at LOG_LEVEL ${loggerFromEnv().level}, each with its requestId
  subgraphs          ${stack.subgraphs.map((s) => `${s.name} ${s.url}`).join('\n                     ')}
  database           ${database.description}${seed === 'demo' ? ' — demo data loaded' : ''}
  business clock     ${env.CLOCK_AT?.trim() ? `pinned at ${clock.now().toISOString()} (CLOCK_AT)` : "this machine's clock"}
  tokens             ${security.tokenKeysSource}
                     npm run --silent token -- --role SUPPLIER --participant SUPA   (prints a token for the demo supplier)
  try                curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $(npm run --silent token -- --role SUPPLIER --participant SUPA)" \\
                       -d '{"query":"{ meteringPoint(mpanCore: \\"1200000000420\\") { mpanCore marketSegment currentSupplier { supplier { name } } } }"}'
Ctrl-C (or SIGTERM) stops everything: requests in flight finish first.`);
  } catch (error) {
    // A signal during start-up stops what has started; errors from work it cut short are not news.
    if (lifecycle.stopping()) return;
    reportStartupError('npm start', error);
    await lifecycle.shutdown('start-up failed', 1);
  }
}

runMain('npm start', main);
