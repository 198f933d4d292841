import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyLike } from 'jose';
import {
  clockFromEnv,
  drainOnSignals,
  listenOrExplain,
  loggerFromEnv,
  metricsListenerFromEnv,
  portFromEnv,
  shutdownGraceMsFromEnv,
  startMetricsServer,
  startTracingFromEnv,
} from '../core';
import { buildGateway, type GatewayOptions } from './build-gateway';
import { subgraphUrlsFromSupergraph } from './supergraph-urls';
import { accessEnforcementFromEnv } from './access-mode';
import { corsOriginsFromEnv } from './cors';
import { edgeSettingsFromEnv } from './limits/edge-settings';
import type { TokenVerifier } from './auth/verify-token';
import { messageStreamPollMsFromEnv } from './message-stream';

/** How the gateway authenticates callers and vouches for them to the subgraphs. */
export interface GatewaySecurity {
  tokenVerifier: TokenVerifier;
  internalContextKey: KeyLike;
  /** Dev keys only: mints the playground's demo tokens. */
  devTokens?: GatewayOptions['devTokens'];
}

/**
 * Runs the gateway alone until SIGINT/SIGTERM, then drains (core/lifecycle.ts): supergraph from SUPERGRAPH_FILE, each
 * subgraph at the URL the supergraph names unless its `<NAME>_URL` environment variable overrides it; PORT, HOST,
 * ACCESS, LOG_LEVEL and SHUTDOWN_GRACE_SECONDS as documented.
 */
export async function serveGateway(security: GatewaySecurity, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Settings first, so a bad one is refused before any work.
  const port = portFromEnv(env, 'PORT', 4000);
  const graceMs = shutdownGraceMsFromEnv(env);
  const supergraphFile = env.SUPERGRAPH_FILE ?? join(__dirname, '..', 'schema', 'supergraph.graphql');
  const supergraphSdl = readFileSync(supergraphFile, 'utf8');
  // OTLP traces when OTEL_EXPORTER_OTLP_ENDPOINT is set; /metrics on METRICS_PORT when set (README "Operating").
  startTracingFromEnv('gateway', env);
  const metricsListener = metricsListenerFromEnv(env);
  const app = await buildGateway({
    supergraphSdl,
    subgraphUrls: subgraphUrlsFromSupergraph(supergraphSdl),
    tokenVerifier: security.tokenVerifier,
    internalContextKey: security.internalContextKey,
    // Business time: the machine's clock, or the instant CLOCK_AT pins for a demo (refused with production keys).
    clock: clockFromEnv(env),
    devTokens: security.devTokens,
    accessEnforcement: accessEnforcementFromEnv(),
    logger: loggerFromEnv(),
    corsOrigins: corsOriginsFromEnv(),
    metricsRoute: metricsListener === undefined,
    edge: edgeSettingsFromEnv(env),
    messageStreamPollMs: messageStreamPollMsFromEnv(env),
    messageFeedRedisUrl: env.MESSAGE_FEED_REDIS_URL?.trim() || undefined,
  });
  const metricsServer = metricsListener ? await startMetricsServer(metricsListener) : undefined;
  app.addHook('onClose', async () => void (await metricsServer?.close()));
  const lifecycle = drainOnSignals({
    graceMs,
    log: (line) => app.log.warn(`gateway: ${line}`),
    onGraceExpired: () => app.server.closeAllConnections(),
  });
  // fastify's close stops accepting, waits for the requests in flight, then stops Apollo and the subgraph pools.
  lifecycle.add({ name: 'the gateway', run: () => app.close() });
  await listenOrExplain(app, { host: env.HOST ?? '127.0.0.1', port, what: 'gateway', setting: 'PORT' });
}
