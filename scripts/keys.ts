/**
 * The one-shot `keys` service of docker-compose: generates the dev key pairs once and gives each service's volume only
 * the keys that service needs (dev/split-keys.ts). `tsx scripts/keys.ts` with KEYS_SOURCE_DIR, GATEWAY_KEYS_DIR,
 * SUBGRAPH_KEYS_DIR and DEV_TOKEN_KEYS_DIR (defaults under /keys).
 */
import { splitDevKeys } from '../dev/split-keys';

splitDevKeys({
  source: process.env.KEYS_SOURCE_DIR ?? '/keys/source',
  gateway: process.env.GATEWAY_KEYS_DIR ?? '/keys/gateway',
  subgraphs: process.env.SUBGRAPH_KEYS_DIR ?? '/keys/subgraphs',
  devTokens: process.env.DEV_TOKEN_KEYS_DIR ?? '/keys/dev-tokens',
})
  .then(() => console.log('keys placed: gateway, subgraphs, dev-tokens'))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
