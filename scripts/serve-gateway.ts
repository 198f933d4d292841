/**
 * Runs the gateway alone (docker-compose, the image's default command): keys from the environment as in
 * gateway/main.ts (INTERNAL_CONTEXT_PRIVATE_JWK(_FILE), AUTH_JWKS_FILE/URL), else the dev keys in $DATA_DIR/keys.
 * `/dev/tokens` (the playground's demo tokens) only with DEV_TOKENS=on: the compose `dev` profile's gateway-dev.
 */
import { serveGateway } from '../gateway/serve-gateway';
import { loadGatewaySecurity } from '../dev/security';
import { dataDirFromEnv } from '../dev/data-dir';
import { runMain } from '../core';

async function main(): Promise<void> {
  await serveGateway(await loadGatewaySecurity(process.env, dataDirFromEnv()));
}

runMain('serve-gateway', main);
