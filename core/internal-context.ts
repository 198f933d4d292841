import { createPublicKey, type KeyObject } from 'node:crypto';
import { errors, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload, type JWTVerifyOptions, type KeyLike } from 'jose';
import { isMarketRole, type MarketRole } from './market-roles';
import { VerifiedTokenCache } from './verified-token-cache';

/** The header that carries the gateway's signed statement of who is calling; subgraphs refuse requests without it. */
export const INTERNAL_CONTEXT_HEADER = 'x-mhhs-context';

/** The caller as the gateway verified it: the subgraph trusts this, never the user's token or headers. */
export interface InternalContext {
  participant: string;
  role: MarketRole;
  requestId: string;
  /**
   * The request's business instant, taken once from the gateway's clock: every subgraph of one request decides on the
   * same "now" (core/clock.ts), so a plan that crosses midnight still sees one day.
   */
  now: Date;
}

/** A request that did not come through the gateway (or whose context cannot be trusted): 401 UNAUTHENTICATED. */
export class InternalContextError extends Error {
  readonly status = 401 as const;
  readonly code = 'UNAUTHENTICATED' as const;

  constructor(message: string) {
    super(message);
    this.name = 'InternalContextError';
  }
}

export interface InternalContextVerifier {
  /** Resolves the context carried by the `x-mhhs-context` header value, or throws an InternalContextError. */
  verify(headerValue: string | undefined): Promise<InternalContext>;
}

/** The signing key (gateway only; null where only the public key is configured) and the verifying key (subgraphs). */
export interface InternalContextKeys {
  privateKey: KeyLike | null;
  publicKey: KeyLike;
}

const ISSUER = 'mhhs-gateway';
const AUDIENCE = 'mhhs-subgraph';
// A distinct `typ` means a user token can never pass as a context, even if keys were ever mixed up.
const TYPE = 'mhhs-context+jwt';
const LIFETIME = '60s';
// Gateway and subgraphs may run on different hosts; tolerate modest clock skew but keep a stolen context short-lived.
const CLOCK_TOLERANCE_SECONDS = 10;

/** Signs the caller the gateway has authenticated, for one request to one subgraph; valid for 60 seconds. */
export function signInternalContext(privateKey: KeyLike, ctx: InternalContext): Promise<string> {
  return new SignJWT({ role: ctx.role, requestId: ctx.requestId, now: ctx.now.toISOString() })
    .setProtectedHeader({ alg: 'EdDSA', typ: TYPE })
    .setSubject(ctx.participant)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LIFETIME)
    .sign(privateKey);
}

/** Builds the subgraph-side verifier once; it accepts only EdDSA contexts signed by the gateway's key for subgraphs. */
export function createInternalContextVerifier(publicKey: KeyLike): InternalContextVerifier {
  const options: JWTVerifyOptions = {
    algorithms: ['EdDSA'],
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: TYPE,
    requiredClaims: ['exp', 'iat', 'sub'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };
  // One gateway request signs one context and sends it on every subgraph call of its plan: verify it once.
  const verified = new VerifiedTokenCache<InternalContext>({ maxEntries: 10_000, maxAgeMs: 60_000 });
  return {
    async verify(headerValue) {
      if (!headerValue) refuse(`missing ${INTERNAL_CONTEXT_HEADER} header: subgraphs answer only requests forwarded by the gateway`);
      const known = verified.get(headerValue);
      if (known) return known;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(headerValue, publicKey, options));
      } catch (error) {
        throw explain(error);
      }
      const { sub: participant, role, requestId, now } = payload;
      if (typeof participant !== 'string' || participant === '') refuse('internal context names no participant');
      if (!isMarketRole(role)) refuse(`internal context names unknown role ${JSON.stringify(role)?.slice(0, 60)}`);
      if (typeof requestId !== 'string' || requestId === '') refuse('internal context has no requestId');
      const instant = typeof now === 'string' ? new Date(now) : null;
      if (!instant || Number.isNaN(instant.getTime())) refuse('internal context has no business instant ("now")');
      const context = Object.freeze({ participant, role, requestId, now: instant });
      verified.set(headerValue, context, payload.exp as number);
      return context;
    },
  };
}

/**
 * The gateway's signing key and the subgraphs' verifying key: INTERNAL_CONTEXT_PRIVATE_JWK / INTERNAL_CONTEXT_PUBLIC_JWK
 * (JWK JSON strings; the gateway's public key is derived from its private one). When neither is set, `otherwise`
 * supplies them (the local stack passes the dev pair, see dev/security.ts); without it that is an error.
 */
export async function internalContextKeysFromEnv(
  env: Record<string, string | undefined>,
  otherwise?: () => Promise<InternalContextKeys>,
): Promise<InternalContextKeys> {
  const privateText = env.INTERNAL_CONTEXT_PRIVATE_JWK?.trim();
  const publicText = env.INTERNAL_CONTEXT_PUBLIC_JWK?.trim();
  if (privateText) {
    const privateKey = await importEd25519('INTERNAL_CONTEXT_PRIVATE_JWK', privateText, true);
    const publicKey = createPublicKey(privateKey as KeyObject);
    if (publicText && !publicKey.equals((await importEd25519('INTERNAL_CONTEXT_PUBLIC_JWK', publicText, false)) as KeyObject)) {
      throw new Error('INTERNAL_CONTEXT_PUBLIC_JWK is not the public half of INTERNAL_CONTEXT_PRIVATE_JWK');
    }
    return { privateKey, publicKey };
  }
  if (publicText) return { privateKey: null, publicKey: await importEd25519('INTERNAL_CONTEXT_PUBLIC_JWK', publicText, false) };
  if (otherwise) return otherwise();
  throw new Error('set INTERNAL_CONTEXT_PRIVATE_JWK (gateway) or INTERNAL_CONTEXT_PUBLIC_JWK (subgraph): Ed25519 JWKs as JSON');
}

async function importEd25519(name: string, text: string, isPrivate: boolean): Promise<KeyLike> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error(`${name} must be a JWK as JSON, such as {"kty":"OKP","crv":"Ed25519","x":"…"${isPrivate ? ',"d":"…"' : ''}}`);
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw new Error(`${name} must be an Ed25519 key (kty "OKP", crv "Ed25519")`);
  // A private key in the subgraphs' variable would hand every subgraph the power to forge contexts.
  if (isPrivate !== (jwk.d !== undefined))
    throw new Error(
      isPrivate ? `${name} lacks the private part "d"` : `${name} holds a private key ("d"); give subgraphs the public key only`,
    );
  return (await importJWK(jwk, 'EdDSA')) as KeyLike;
}

/** Says which check a context failed; anything unexpected stays as it is (a server fault, not the caller's). */
function explain(error: unknown): unknown {
  if (error instanceof errors.JWTExpired)
    return new InternalContextError(`internal context expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}`);
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new InternalContextError("internal context signature does not verify: it was not signed by the gateway's key");
  if (error instanceof errors.JOSEAlgNotAllowed) return new InternalContextError('internal context is not EdDSA-signed');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const value = JSON.stringify(error.payload[error.claim])?.slice(0, 60);
    if (error.claim === 'aud') return new InternalContextError(`internal context audience is ${value}, expected "${AUDIENCE}"`);
    if (error.claim === 'iss') return new InternalContextError(`internal context issuer is ${value}, expected "${ISSUER}"`);
    if (error.claim === 'typ') return new InternalContextError(`internal context is not a context token (typ must be "${TYPE}")`);
    return new InternalContextError(`internal context claim "${error.claim}" is invalid: ${error.message}`);
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new InternalContextError(`malformed internal context: ${error.message}`);
  }
  return error;
}

function refuse(message: string): never {
  throw new InternalContextError(message);
}
