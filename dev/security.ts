import type { KeyLike } from 'jose';
import { authConfigFromEnv } from '../../gateway/auth/auth-config';
import { createTokenVerifier, TokenVerifier } from '../../gateway/auth/verify-token';
import { createInternalContextVerifier, internalContextKeysFromEnv, InternalContextVerifier } from '../../subgraphs/kit/internal-context';
import { ensureDevKeys } from '../../subgraphs/kit/dev-keys';
import { signDevToken } from '../../gateway/auth/sign-dev-token';
import { DEMO_ACTORS } from './demo-actors';

/** Everything the stack needs to authenticate callers and vouch for them to the subgraphs. */
export interface StackSecurity {
  tokenVerifier: TokenVerifier;
  internalContextKey: KeyLike;
  contextVerifier: InternalContextVerifier;
  /** Where user-token keys come from, for the start banner. */
  tokenKeysSource: string;
  /** Present only with dev keys: mints short-lived tokens for the demo participants (the playground's role list). */
  devTokens?: () => Promise<{ role: string; participant: string; name: string; token: string }[]>;
}

/** Token keys from AUTH_JWKS_FILE/URL, internal-context keys from INTERNAL_CONTEXT_*_JWK; otherwise dev keys in `dataDir`. */
export async function loadStackSecurity(env: NodeJS.ProcessEnv, dataDir: string): Promise<StackSecurity> {
  const auth = await authConfigFromEnv(env, dataDir);
  const keys = await internalContextKeysFromEnv(env, dataDir);
  if (!keys.privateKey) throw new Error('the gateway needs INTERNAL_CONTEXT_PRIVATE_JWK (or no INTERNAL_CONTEXT_*_JWK at all, for dev keys)');
  const devKeys = env.AUTH_JWKS_FILE || env.AUTH_JWKS_URL ? null : await ensureDevKeys(dataDir);
  return {
    devTokens: devKeys
      ? () =>
          Promise.all(
            DEMO_ACTORS.map(async (actor) => ({
              ...actor,
              token: await signDevToken(devKeys.tokenSigning.privateJwk, { participant: actor.participant, roles: [actor.role], ttl: '1h', issuer: auth.issuer, audience: auth.audience }),
            })),
          )
      : undefined,
    tokenVerifier: createTokenVerifier(auth),
    internalContextKey: keys.privateKey,
    contextVerifier: createInternalContextVerifier(keys.publicKey),
    tokenKeysSource: auth.jwksSource,
  };
}
