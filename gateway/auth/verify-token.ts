import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyOptions,
} from 'jose';
import { isMarketRole, MARKET_ROLES, type MarketRole, VerifiedTokenCache } from '../../core';

const STATUS = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 } as const;

/** A request the gateway refuses before planning; `code` becomes `extensions.code` and `status` the HTTP status. */
export class AuthError extends Error {
  readonly status: 401 | 403 | 400;
  readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT';
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
}

export interface TokenVerifierOptions {
  /** The trusted public keys, or where to fetch them (fetched lazily, cached and refreshed by jose). */
  jwks: JSONWebKeySet | URL;
  issuer: string;
  audience: string;
}

const ALGORITHM = 'EdDSA';
const CLOCK_TOLERANCE_SECONDS = 30;
// A token is re-verified at least this often, so a key taken out of the JWKS stops working within a minute.
const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;
const VERIFIED_TOKEN_MAX_ENTRIES = 10_000;

/**
 * Builds the bearer-token verifier once per process: the key set is imported once and reused by every request.
 * Only EdDSA signatures are accepted, so `none` and HMAC tokens (algorithm confusion) are refused before any key is used.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  // A remote key set is refetched at least once a minute (jose keeps it 10 minutes by default), so together with the
  // verified-token cache below a key removed from it stops working within about two minutes.
  const keys =
    options.jwks instanceof URL
      ? createRemoteJWKSet(options.jwks, { cacheMaxAge: VERIFIED_TOKEN_MAX_AGE_MS })
      : createLocalJWKSet(options.jwks);
  const verifyOptions: JWTVerifyOptions = {
    algorithms: [ALGORITHM],
    issuer: options.issuer,
    audience: options.audience,
    requiredClaims: ['exp', 'sub', 'roles'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
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
      ({ payload } = await jwtVerify(token, keys, verifyOptions));
    } catch (error) {
      throw explainJoseError(error, token, options);
    }
    const participant = payload.sub;
    if (typeof participant !== 'string' || participant === '') unauthenticated('the token\'s "sub" claim must name the participant (MPID)');
    const claims = Object.freeze({ participant, roles: Object.freeze(grantedRoles(payload.roles)) as MarketRole[] });
    verified.set(token, claims, payload.exp as number);
    return claims;
  };

  return {
    async verify(headers) {
      const { participant, roles } = await verifyToken(bearerToken(headers.authorization));
      // The acting role comes from this request's header, so it is chosen afresh every time.
      return { participant, roles, role: actingRole(roles, participant, headers['x-acting-role']) };
    },
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
function explainJoseError(error: unknown, token: string, options: TokenVerifierOptions): unknown {
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthError('UNAUTHENTICATED', `token algorithm ${show(headerOf(token).alg)} is not allowed; only ${ALGORITHM} is accepted`);
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

/** The `roles` claim as market roles: a non-empty list of known names, duplicates dropped. */
function grantedRoles(claim: unknown): MarketRole[] {
  if (!Array.isArray(claim) || claim.length === 0) unauthenticated('the token\'s "roles" claim must list at least one market role');
  const unknown = claim.find((role) => !isMarketRole(role));
  if (unknown !== undefined) unauthenticated(`the token's "roles" claim holds unknown role ${show(unknown)}`);
  return [...new Set(claim as MarketRole[])];
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
