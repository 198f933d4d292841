import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import { DEFAULT_ALGORITHMS, DEFAULT_CLOCK_TOLERANCE_SECONDS, type TokenVerifierOptions } from './verify-token';
import { isMarketRole, MARKET_ROLES, type MarketRole } from '../../core';

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
  const claims = tokenRulesFromEnv(env);
  if (file) return { issuer, audience, ...claims, jwks: await readJwksFile(file), jwksSource: `AUTH_JWKS_FILE ${file}` };
  if (url) return { issuer, audience, ...claims, jwks: parseJwksUrl(url), jwksSource: `AUTH_JWKS_URL ${url}` };
  if (otherwise) return { ...(await otherwise()), ...claims };
  throw new Error('set AUTH_JWKS_FILE or AUTH_JWKS_URL: the public keys that sign user tokens');
}

/** Signature algorithms a deployment may allow: asymmetric only, so a public key can never serve as an HMAC secret. */
export const ALLOWED_ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
const MAX_CLOCK_TOLERANCE_SECONDS = 300;

type TokenRules = Required<Pick<TokenVerifierOptions, 'algorithms' | 'clockToleranceSeconds' | 'participantClaim' | 'rolesClaim'>> &
  Pick<TokenVerifierOptions, 'roleMap'>;

/**
 * How tokens are checked and read: AUTH_ALGORITHMS, AUTH_CLOCK_TOLERANCE_SECONDS, AUTH_PARTICIPANT_CLAIM,
 * AUTH_ROLES_CLAIM and AUTH_ROLE_MAP. Every bad value is refused at start-up with one line naming the variable.
 */
export function tokenRulesFromEnv(env: Env): TokenRules {
  const rules: TokenRules = {
    algorithms: algorithmsFrom(nonEmpty(env.AUTH_ALGORITHMS)),
    clockToleranceSeconds: clockToleranceFrom(nonEmpty(env.AUTH_CLOCK_TOLERANCE_SECONDS)),
    participantClaim: nonEmpty(env.AUTH_PARTICIPANT_CLAIM)?.trim() ?? 'sub',
    rolesClaim: nonEmpty(env.AUTH_ROLES_CLAIM)?.trim() ?? 'roles',
  };
  const roleMap = nonEmpty(env.AUTH_ROLE_MAP);
  return roleMap ? { ...rules, roleMap: roleMapFrom(roleMap) } : rules;
}

function algorithmsFrom(text: string | undefined): string[] {
  if (text === undefined) return [...DEFAULT_ALGORITHMS];
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const refused = names.find((name) => !(ALLOWED_ALGORITHMS as readonly string[]).includes(name));
  if (refused !== undefined || names.length === 0)
    throw new Error(
      `AUTH_ALGORITHMS: ${refused === undefined ? 'empty' : `"${refused}" is not allowed`}; choose from ${ALLOWED_ALGORITHMS.join(', ')} (never none or HMAC)`,
    );
  return [...new Set(names)];
}

function clockToleranceFrom(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const seconds = Number(text);
  if (!/^\d+$/.test(text.trim()) || seconds > MAX_CLOCK_TOLERANCE_SECONDS)
    throw new Error(
      `AUTH_CLOCK_TOLERANCE_SECONDS must be a whole number of seconds from 0 to ${MAX_CLOCK_TOLERANCE_SECONDS}, got "${text}"`,
    );
  return seconds;
}

/** `provider-name=MARKET_ROLE` pairs separated by commas, e.g. `mhhs-supplier=SUPPLIER,dno=DISTRIBUTOR`. */
function roleMapFrom(text: string): Record<string, MarketRole> {
  const map: Record<string, MarketRole> = {};
  for (const pair of text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [name, role, ...rest] = pair.split('=').map((part) => part.trim());
    if (!name || role === undefined || rest.length > 0)
      throw new Error(`AUTH_ROLE_MAP: "${pair}" is not name=MARKET_ROLE (pairs separated by commas)`);
    if (!isMarketRole(role)) throw new Error(`AUTH_ROLE_MAP: "${role}" is not a market role; valid roles: ${MARKET_ROLES.join(', ')}`);
    map[name] = role;
  }
  if (Object.keys(map).length === 0) throw new Error('AUTH_ROLE_MAP is set but maps no role');
  return map;
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
