/**
 * Runs the gateway alone (docker-compose, the image's default command): keys from the environment as in
 * gateway/main.ts, else the dev keys in $DATA_DIR/keys, with the playground's demo tokens.
 */
import { serveGateway } from '../gateway/serve-gateway';
import { loadStackSecurity } from '../dev/security';
import { dataDirFromEnv } from '../dev/data-dir';
import { runMain } from '../core';

async function main(): Promise<void> {
  await serveGateway(await loadStackSecurity(process.env, dataDirFromEnv()));
}

runMain('serve-gateway', main);
