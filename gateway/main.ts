/**
 * Runs the gateway in production: keys only from the environment (AUTH_JWKS_FILE or AUTH_JWKS_URL, and
 * INTERNAL_CONTEXT_PRIVATE_JWK); see serve-gateway.ts for the rest. With dev keys, run scripts/serve-gateway.ts.
 */
import { authConfigFromEnv } from './auth/auth-config';
import { createTokenVerifier } from './auth/verify-token';
import { internalContextKeysFromEnv, runMain } from '../core';
import { serveGateway } from './serve-gateway';

async function main(): Promise<void> {
  const auth = await authConfigFromEnv(process.env);
  const { privateKey } = await internalContextKeysFromEnv(process.env);
  if (!privateKey) throw new Error('the gateway needs INTERNAL_CONTEXT_PRIVATE_JWK, the key that signs the internal context');
  await serveGateway({ tokenVerifier: createTokenVerifier(auth), internalContextKey: privateKey });
}

runMain('serve-gateway', main);
