import type { KeyLike } from 'jose';
import { authConfigFromEnv } from '../../gateway/auth/auth-config';
import { createTokenVerifier, TokenVerifier } from '../../gateway/auth/verify-token';
import { createInternalContextVerifier, internalContextKeysFromEnv, InternalContextVerifier } from '../../subgraphs/kit/internal-context';

/** Everything the stack needs to authenticate callers and vouch for them to the subgraphs. */
export interface StackSecurity {
  tokenVerifier: TokenVerifier;
  internalContextKey: KeyLike;
  contextVerifier: InternalContextVerifier;
  /** Where user-token keys come from, for the start banner. */
  tokenKeysSource: string;
}

/** Token keys from AUTH_JWKS_FILE/URL, internal-context keys from INTERNAL_CONTEXT_*_JWK; otherwise dev keys in `dataDir`. */
export async function loadStackSecurity(env: NodeJS.ProcessEnv, dataDir: string): Promise<StackSecurity> {
  const auth = await authConfigFromEnv(env, dataDir);
  const keys = await internalContextKeysFromEnv(env, dataDir);
  if (!keys.privateKey) throw new Error('the gateway needs INTERNAL_CONTEXT_PRIVATE_JWK (or no INTERNAL_CONTEXT_*_JWK at all, for dev keys)');
  return {
    tokenVerifier: createTokenVerifier(auth),
    internalContextKey: keys.privateKey,
    contextVerifier: createInternalContextVerifier(keys.publicKey),
    tokenKeysSource: auth.jwksSource,
  };
}
