import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import type { TokenVerifierOptions } from './verify-token';

type Env = Record<string, string | undefined>;

/** What `createTokenVerifier` needs; `jwksSource` says where the keys came from, for the startup log. */
export interface AuthConfig extends TokenVerifierOptions {
  jwksSource: string;
}

/** The expected `iss` and `aud` of user tokens: AUTH_ISSUER and AUTH_AUDIENCE, else the dev values the token script uses. */
export function issuerAndAudienceFromEnv(env: Env): { issuer: string; audience: string } {
  return { issuer: nonEmpty(env.AUTH_ISSUER) ?? 'mhhs-dev', audience: nonEmpty(env.AUTH_AUDIENCE) ?? 'mhhs-data-gateway' };
}

/**
 * Where user-token keys come from: AUTH_JWKS_FILE (a JWKS JSON file) or AUTH_JWKS_URL. When neither is set, `otherwise`
 * supplies the keys (the local stack passes the dev key pair, see dev/security.ts); without it that is an error.
 * Setting both is refused: which keys are trusted must never be ambiguous.
 */
export async function authConfigFromEnv(env: Env, otherwise?: () => Promise<AuthConfig>): Promise<AuthConfig> {
  const { issuer, audience } = issuerAndAudienceFromEnv(env);
  const file = nonEmpty(env.AUTH_JWKS_FILE);
  const url = nonEmpty(env.AUTH_JWKS_URL);
  if (file && url) throw new Error('set AUTH_JWKS_FILE or AUTH_JWKS_URL, not both');
  if (file) return { issuer, audience, jwks: await readJwksFile(file), jwksSource: `AUTH_JWKS_FILE ${file}` };
  if (url) return { issuer, audience, jwks: parseJwksUrl(url), jwksSource: `AUTH_JWKS_URL ${url}` };
  if (otherwise) return otherwise();
  throw new Error('set AUTH_JWKS_FILE or AUTH_JWKS_URL: the public keys that sign user tokens');
}

async function readJwksFile(path: string): Promise<JSONWebKeySet> {
  let jwks: unknown;
  try {
    jwks = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`AUTH_JWKS_FILE ${path} cannot be read as JSON: ${(error as Error).message}`, { cause: error });
  }
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`AUTH_JWKS_FILE ${path} must be a JWKS: {"keys": [<public JWK>, ...]}`);
  if (keys.some((key: { d?: unknown }) => key?.d !== undefined))
    throw new Error(`AUTH_JWKS_FILE ${path} holds a private key; give the verifier public keys only`);
  return jwks as JSONWebKeySet;
}

function parseJwksUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`AUTH_JWKS_URL "${text}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`AUTH_JWKS_URL must be an https: (or http:) URL, got ${url.protocol}`);
  return url;
}

/** Treats an empty variable as unset: compose files often pass `AUTH_ISSUER=` with nothing after it. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
