import type { JWK } from 'jose';
import { authConfigFromEnv, issuerAndAudienceFromEnv, type AuthConfig } from '../gateway/auth/auth-config';
import { createTokenVerifier } from '../gateway/auth/verify-token';
import type { GatewaySecurity } from '../gateway/serve-gateway';
import { readFileSync } from 'node:fs';
import type { KeyLike } from 'jose';
import {
  createInternalContextVerifier,
  internalContextKeysFromEnv,
  subgraphQuestionKeysFromEnv,
  InternalContextKeys,
  InternalContextVerifier,
  SubgraphQuestionKeys,
} from '../core';
import { ensureDevKeys } from './dev-keys';
import { signDevToken } from './sign-dev-token';
import { DEMO_ACTORS } from './demo-actors';

/** Everything the local stack needs to authenticate callers and vouch for them to the subgraphs. */
export interface StackSecurity extends GatewaySecurity, SubgraphSecurity {
  /** Where user-token keys come from, for the start banner. */
  tokenKeysSource: string;
}

/** User-token keys from AUTH_JWKS_FILE/URL, else the dev key pair in `dataDir` (generated on first use). */
export function authConfigOrDevKeys(env: Record<string, string | undefined>, dataDir: string): Promise<AuthConfig> {
  return authConfigFromEnv(env, async () => {
    const keys = await ensureDevKeys(dataDir);
    return { ...issuerAndAudienceFromEnv(env), jwks: keys.tokenSigning.jwks, jwksSource: `dev key ${keys.tokenSigning.jwksPath}` };
  });
}

/** What a subgraph holds: public keys to verify contexts and questions, and the private key it signs its questions with. */
export interface SubgraphSecurity {
  contextVerifier: InternalContextVerifier;
  questionKey: KeyLike;
}

/** The subgraphs' question key pair from SUBGRAPH_QUESTION_PRIVATE_JWK, else the dev pair in `dataDir`. */
export function questionKeysOrDevPair(env: Record<string, string | undefined>, dataDir: string): Promise<SubgraphQuestionKeys> {
  return subgraphQuestionKeysFromEnv(env, async () => {
    const { subgraphQuestion } = await ensureDevKeys(dataDir);
    return { privateKey: subgraphQuestion.privateKey, publicKey: subgraphQuestion.publicKey };
  });
}

/**
 * A subgraph's keys (scripts/serve-subgraph.ts): the gateway's public context key (INTERNAL_CONTEXT_PUBLIC_JWK) and the
 * question key pair (SUBGRAPH_QUESTION_PRIVATE_JWK); dev pairs in `dataDir` where unset.
 */
export async function loadSubgraphSecurity(env: Record<string, string | undefined>, dataDir: string): Promise<SubgraphSecurity> {
  const { publicKey } = await internalContextKeysOrDevPair(env, dataDir);
  const question = await questionKeysOrDevPair(env, dataDir);
  return {
    contextVerifier: createInternalContextVerifier({ gatewayKey: publicKey, questionKey: question.publicKey }),
    questionKey: question.privateKey,
  };
}

/** Internal-context keys from INTERNAL_CONTEXT_*_JWK, else the dev pair in `dataDir`: the same for the gateway and every subgraph. */
export function internalContextKeysOrDevPair(env: Record<string, string | undefined>, dataDir: string): Promise<InternalContextKeys> {
  return internalContextKeysFromEnv(env, async () => {
    const { internalContext } = await ensureDevKeys(dataDir);
    return { privateKey: internalContext.privateKey, publicKey: internalContext.publicKey };
  });
}

/** Token keys from AUTH_JWKS_FILE/URL, internal-context keys from INTERNAL_CONTEXT_*_JWK; otherwise dev keys in `dataDir`. */
export async function loadStackSecurity(env: NodeJS.ProcessEnv, dataDir: string): Promise<StackSecurity> {
  const auth = await authConfigOrDevKeys(env, dataDir);
  const keys = await internalContextKeysOrDevPair(env, dataDir);
  if (!keys.privateKey)
    throw new Error('the gateway needs INTERNAL_CONTEXT_PRIVATE_JWK (or no INTERNAL_CONTEXT_*_JWK at all, for dev keys)');
  const question = await questionKeysOrDevPair(env, dataDir);
  const devKeys = env.AUTH_JWKS_FILE || env.AUTH_JWKS_URL ? null : await ensureDevKeys(dataDir);
  return {
    devTokens: devKeys ? () => demoActorTokens(devKeys.tokenSigning.privateJwk, auth) : undefined,
    tokenVerifier: createTokenVerifier(auth),
    internalContextKey: keys.privateKey,
    contextVerifier: createInternalContextVerifier({ gatewayKey: keys.publicKey, questionKey: question.publicKey }),
    questionKey: question.privateKey,
    tokenKeysSource: auth.jwksSource,
  };
}

/**
 * The gateway alone (scripts/serve-gateway.ts: docker-compose, the image): user-token keys and its context key as for
 * the local stack, but `/dev/tokens` only when DEV_TOKENS=on (the compose `dev` profile). Its signing key is then
 * DEV_TOKEN_SIGNING_JWK_FILE (a private JWK whose public half is in AUTH_JWKS_FILE), else the dev key in `dataDir`.
 */
export async function loadGatewaySecurity(env: NodeJS.ProcessEnv, dataDir: string): Promise<GatewaySecurity & { tokenKeysSource: string }> {
  const auth = await authConfigOrDevKeys(env, dataDir);
  const keys = await internalContextKeysOrDevPair(env, dataDir);
  if (!keys.privateKey) throw new Error('the gateway needs INTERNAL_CONTEXT_PRIVATE_JWK(_FILE), the key that signs the internal context');
  const devTokens = env.DEV_TOKENS?.trim() ?? 'off';
  if (devTokens !== 'on' && devTokens !== 'off') throw new Error(`DEV_TOKENS must be "on" or "off", got "${devTokens}"`);
  let signingJwk: JWK | undefined;
  if (devTokens === 'on') {
    if (env.AUTH_JWKS_URL?.trim()) throw new Error("DEV_TOKENS=on mints demo tokens: never with a real identity provider's AUTH_JWKS_URL");
    const file = env.DEV_TOKEN_SIGNING_JWK_FILE?.trim();
    signingJwk = file ? (JSON.parse(readFileSync(file, 'utf8')) as JWK) : (await ensureDevKeys(dataDir)).tokenSigning.privateJwk;
  }
  return {
    tokenVerifier: createTokenVerifier(auth),
    internalContextKey: keys.privateKey,
    devTokens: signingJwk ? () => demoActorTokens(signingJwk, auth) : undefined,
    tokenKeysSource: auth.jwksSource,
  };
}

/** One short-lived token per demo participant: the playground's "act as" list. */
function demoActorTokens(privateJwk: JWK, auth: AuthConfig): Promise<{ role: string; participant: string; name: string; token: string }[]> {
  return Promise.all(
    DEMO_ACTORS.map(async (actor) => ({
      ...actor,
      token: await signDevToken(privateJwk, {
        participant: actor.participant,
        roles: [actor.role],
        ttl: '1h',
        issuer: auth.issuer,
        audience: auth.audience,
      }),
    })),
  );
}
