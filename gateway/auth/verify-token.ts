import { decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { isMarketRole, machineTimeMs, MARKET_ROLES, type MarketRole, VerifiedTokenCache } from '../../core';
import { KeysUnavailableError, remoteKeySet, staticKeySet, type KeySet, type KeySetState } from './remote-key-set';
import { claimAt } from './claim-path';

const STATUS = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, AUTH_KEYS_UNAVAILABLE: 503 } as const;

/** A request the gateway refuses before planning; `code` becomes `extensions.code` and `status` the HTTP status. */
export class AuthError extends Error {
  readonly status: (typeof STATUS)[keyof typeof STATUS];
  readonly code: keyof typeof STATUS;
  /** The token's participant, when the token itself was valid (for the audit line). */
  readonly participant?: string;

  constructor(code: keyof typeof STATUS, message: string, participant?: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    this.status = STATUS[code];
    this.participant = participant;
  }
}

/** Who is calling and in which one market role this request acts (DESIGN.md "Contracts"). */
export interface Caller {
  /** The token's `sub`: the participant's MPID. */
  participant: string;
  /** Every role the token grants. */
  roles: MarketRole[];
  /** The acting role: the only one held, or the one `x-acting-role` picks. */
  role: MarketRole;
}

export interface AuthHeaders {
  authorization?: string;
  'x-acting-role'?: string;
}

export interface TokenVerifier {
  /** Resolves the caller from the request headers, or throws an AuthError saying what is wrong. */
  verify(headers: AuthHeaders): Promise<Caller>;
  /** The state of the user-token key set, for /readyz. */
  keys(): Promise<KeySetState>;
}

export interface TokenVerifierOptions {
  /** The trusted public keys, or where to fetch them (fetched lazily, cached and refreshed by jose). */
  jwks: JSONWebKeySet | URL;
  issuer: string;
  audience: string;
  /** Accepted signature algorithms (AUTH_ALGORITHMS); asymmetric only, see auth-config.ts. Default: EdDSA, ES256, RS256. */
  algorithms?: readonly string[];
  /** Leeway for `exp` and `nbf` against clock skew with the identity provider (AUTH_CLOCK_TOLERANCE_SECONDS, default 5). */
  clockToleranceSeconds?: number;
  /** The claim naming the participant's MPID (AUTH_PARTICIPANT_CLAIM, default `sub`). */
  participantClaim?: string;
  /** Dotted path of the claim listing the roles (AUTH_ROLES_CLAIM, default `roles`; e.g. `realm_access.roles`). */
  rolesClaim?: string;
  /** Provider role name → market role (AUTH_ROLE_MAP). When set, names it does not map are ignored. */
  roleMap?: Readonly<Record<string, MarketRole>>;
  /** A remote key set's refetch cooldown for an unknown `kid` (default 30 s); tests shorten it. */
  keyRefetchCooldownMs?: number;
}

export const DEFAULT_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
// An unknown kid refetches a remote key set at most this often; a fetch gives up after the timeout.
const KEY_REFETCH_COOLDOWN_MS = 30_000;
const KEY_FETCH_TIMEOUT_MS = 5_000;
// A token is re-verified at least this often, so a key taken out of the JWKS stops working within a minute.
const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;
const VERIFIED_TOKEN_MAX_ENTRIES = 10_000;

/**
 * Builds the bearer-token verifier once per process: the key set is imported once and reused by every request.
 * Only the allowed asymmetric algorithms are accepted, so `none` and HMAC tokens (algorithm confusion) are refused
 * before any key is used.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  const participantClaim = options.participantClaim ?? 'sub';
  const rolesClaim = options.rolesClaim ?? 'roles';
  // A remote key set is refetched at least once a minute, so together with the verified-token cache below a key
  // removed from it stops working within about two minutes.
  const keySet: KeySet =
    options.jwks instanceof URL
      ? remoteKeySet(options.jwks, {
          maxAgeMs: VERIFIED_TOKEN_MAX_AGE_MS,
          cooldownMs: options.keyRefetchCooldownMs ?? KEY_REFETCH_COOLDOWN_MS,
          timeoutMs: KEY_FETCH_TIMEOUT_MS,
          machineNow: machineTimeMs,
        })
      : staticKeySet(options.jwks, 'configured keys');
  const verifyOptions: JWTVerifyOptions = {
    algorithms,
    issuer: options.issuer,
    audience: options.audience,
    requiredClaims: ['exp'],
    clockTolerance: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
  };

  const verified = new VerifiedTokenCache<{ participant: string; roles: MarketRole[] }>({
    maxEntries: VERIFIED_TOKEN_MAX_ENTRIES,
    maxAgeMs: VERIFIED_TOKEN_MAX_AGE_MS,
  });

  const verifyToken = async (token: string): Promise<{ participant: string; roles: MarketRole[] }> => {
    const known = verified.get(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySet.lookup, verifyOptions));
    } catch (error) {
      throw explainJoseError(error, token, options, algorithms);
    }
    const participant = claimAt(payload, participantClaim);
    if (typeof participant !== 'string' || participant === '')
      unauthenticated(`the token's "${participantClaim}" claim must name the participant (MPID)`);
    const roles = grantedRoles(claimAt(payload, rolesClaim), rolesClaim, options.roleMap);
    const claims = Object.freeze({ participant, roles: Object.freeze(roles) as MarketRole[] });
    verified.set(token, claims, payload.exp as number);
    return claims;
  };

  return {
    async verify(headers) {
      const { participant, roles } = await verifyToken(bearerToken(headers.authorization));
      // The acting role comes from this request's header, so it is chosen afresh every time.
      return { participant, roles, role: actingRole(roles, participant, headers['x-acting-role']) };
    },
    keys: () => keySet.state(),
  };
}

/** The token from `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110). */
function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') {
    unauthenticated('missing Authorization header: send "Authorization: Bearer <token>"');
  }
  const match = /^\s*Bearer +(\S+)\s*$/i.exec(authorization);
  if (match) return match[1];
  // Name the scheme only when it is clearly one ("Basic …"): a bare token must never be echoed back.
  const scheme = /^\s*([A-Za-z][A-Za-z0-9-]{0,19})\s+\S/.exec(authorization)?.[1];
  if (scheme && scheme.toLowerCase() !== 'bearer')
    unauthenticated(`the Authorization header must be "Bearer <token>", not a "${scheme}" credential`);
  unauthenticated('the Authorization header must be "Bearer <token>" (one token, no spaces)');
}

/** Turns jose's refusal into a message saying which check failed; failures that are not the caller's (JWKS fetch) pass through. */
function explainJoseError(error: unknown, token: string, options: TokenVerifierOptions, algorithms: string[]): unknown {
  if (error instanceof KeysUnavailableError) return new AuthError('AUTH_KEYS_UNAVAILABLE', error.message);
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthError(
      'UNAUTHENTICATED',
      `token algorithm ${show(headerOf(token).alg)} is not allowed; accepted: ${algorithms.join(', ')}`,
    );
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new AuthError('UNAUTHENTICATED', `malformed token: not a signed JWT (compact JWS "header.payload.signature"): ${error.message}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthError('UNAUTHENTICATED', 'token signature does not verify against the trusted keys');
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new AuthError('UNAUTHENTICATED', `token is signed with an unknown key (kid ${show(headerOf(token).kid)})`);
  }
  if (error instanceof errors.JWTExpired) {
    return new AuthError('UNAUTHENTICATED', `token expired at ${instant(error.payload.exp)}`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason, payload } = error;
    if (reason === 'missing') return new AuthError('UNAUTHENTICATED', `token lacks the required "${claim}" claim`);
    if (claim === 'nbf' && reason === 'check_failed')
      return new AuthError('UNAUTHENTICATED', `token is not valid before ${instant(payload.nbf)}`);
    if (claim === 'aud') return new AuthError('UNAUTHENTICATED', `token audience is ${show(payload.aud)}, expected "${options.audience}"`);
    if (claim === 'iss') return new AuthError('UNAUTHENTICATED', `token issuer is ${show(payload.iss)}, expected "${options.issuer}"`);
    return new AuthError('UNAUTHENTICATED', `token claim "${claim}" is invalid: ${error.message}`);
  }
  return error;
}

/**
 * The roles claim as market roles: a non-empty list (or space-separated string) of known names, duplicates dropped.
 * With a role map, provider names are translated and names it does not map are ignored (providers put unrelated
 * groups in the same claim); without one, an unknown name is refused so a typo never silently drops a role.
 */
function grantedRoles(claim: unknown, claimName: string, roleMap: TokenVerifierOptions['roleMap']): MarketRole[] {
  const names: unknown[] = typeof claim === 'string' ? claim.split(/\s+/).filter(Boolean) : Array.isArray(claim) ? claim : [];
  const missing = (): never => unauthenticated(`the token's "${claimName}" claim must list at least one market role`);
  if (names.length === 0) missing();
  if (roleMap) {
    const mapped = names.flatMap((name): MarketRole[] => (typeof name === 'string' && Object.hasOwn(roleMap, name) ? [roleMap[name]] : []));
    if (mapped.length === 0) missing();
    return [...new Set(mapped)];
  }
  const unknown = names.find((role) => !isMarketRole(role));
  if (unknown !== undefined) unauthenticated(`the token's "${claimName}" claim holds unknown role ${show(unknown)}`);
  return [...new Set(names as MarketRole[])];
}

/** The one role this request acts in (DESIGN.md: a request acts in exactly one market role). */
function actingRole(roles: MarketRole[], participant: string, header: string | undefined): MarketRole {
  const requested = header?.trim();
  if (!requested) {
    if (roles.length === 1) return roles[0];
    throw new AuthError('BAD_USER_INPUT', `the token holds several roles; choose one with x-acting-role: ${roles.join(', ')}`, participant);
  }
  if (!isMarketRole(requested)) {
    throw new AuthError(
      'BAD_USER_INPUT',
      `x-acting-role ${show(requested)} is not a market role; valid roles: ${MARKET_ROLES.join(', ')}`,
      participant,
    );
  }
  if (!roles.includes(requested)) {
    throw new AuthError(
      'FORBIDDEN',
      `participant ${participant} does not hold role ${requested}; the token grants: ${roles.join(', ')}`,
      participant,
    );
  }
  return requested;
}

function unauthenticated(message: string): never {
  throw new AuthError('UNAUTHENTICATED', message);
}

/** The token's protected header for naming what was refused; empty when it cannot be decoded. */
function headerOf(token: string): { alg?: unknown; kid?: unknown } {
  try {
    return decodeProtectedHeader(token);
  } catch {
    return {};
  }
}

/** A value taken from the request, quoted and cut short so a message never carries a large or hostile string. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function instant(seconds: unknown): string {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : show(seconds);
}
