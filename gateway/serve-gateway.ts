import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyLike } from 'jose';
import { clockFromEnv, loggerFromEnv } from '../core';
import { buildGateway, type GatewayOptions } from './build-gateway';
import { subgraphUrlsFromSupergraph } from './supergraph-urls';
import { accessEnforcementFromEnv } from './access-mode';
import { corsOriginsFromEnv } from './cors';
import { edgeSettingsFromEnv } from './limits/edge-settings';
import type { TokenVerifier } from './auth/verify-token';

/** How the gateway authenticates callers and vouches for them to the subgraphs. */
export interface GatewaySecurity {
  tokenVerifier: TokenVerifier;
  internalContextKey: KeyLike;
  /** Dev keys only: mints the playground's demo tokens. */
  devTokens?: GatewayOptions['devTokens'];
}

/**
 * Runs the gateway alone until SIGINT/SIGTERM: supergraph from SUPERGRAPH_FILE, each subgraph at the URL the supergraph
 * names unless its `<NAME>_URL` environment variable overrides it; PORT, HOST, ACCESS and LOG_LEVEL as documented.
 */
export async function serveGateway(security: GatewaySecurity, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const supergraphFile = env.SUPERGRAPH_FILE ?? join(__dirname, '..', 'schema', 'supergraph.graphql');
  const supergraphSdl = readFileSync(supergraphFile, 'utf8');
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
    edge: edgeSettingsFromEnv(env),
  });
  const port = Number(env.PORT ?? 4000);
  await app.listen({ host: env.HOST ?? '127.0.0.1', port });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void app.close().then(() => process.exit(0)));
  }
}
