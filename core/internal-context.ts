import { createHash, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  decodeProtectedHeader,
  errors,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
  type JWTVerifyOptions,
  type KeyLike,
} from 'jose';
import { isMarketRole, type MarketRole } from './market-roles';

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

/**
 * Why a context was refused, in `extensions.reason` of the subgraph's 401 (the code stays UNAUTHENTICATED) and in its
 * `context_refused` log line.
 */
export type ContextRefusalReason =
  | 'CONTEXT_MISSING'
  | 'CONTEXT_INVALID'
  | 'CONTEXT_SIGNATURE_INVALID'
  | 'CONTEXT_AUDIENCE_MISMATCH'
  | 'CONTEXT_BODY_MISMATCH'
  | 'CONTEXT_EXPIRED'
  | 'CONTEXT_REPLAYED'
  | 'CONTEXT_QUESTION_NOT_ALLOWED';

/** A request that did not come through the gateway (or whose context cannot be trusted): 401 UNAUTHENTICATED. */
export class InternalContextError extends Error {
  readonly status = 401 as const;
  readonly code = 'UNAUTHENTICATED' as const;

  constructor(
    message: string,
    readonly reason: ContextRefusalReason = 'CONTEXT_INVALID',
  ) {
    super(message);
    this.name = 'InternalContextError';
  }
}

/**
 * What one context is bound to (issue 11, item 4): the subgraph it was signed for and the exact bytes of the request
 * body it travels with. A context captured from one call is then worth nothing for another call, another subgraph or
 * another body, and only for a few seconds.
 */
export interface ContextBinding {
  /** The target subgraph's name (`aud`). */
  audience: string;
  /** The exact HTTP request body sent with the context; its SHA-256 is the `bh` claim. */
  body: string | Uint8Array;
}

/** A verified context and what the subgraph needs to refuse its reuse. */
export interface VerifiedContext extends InternalContext {
  /** `jti`: unique per signature; a mutation's context id is remembered until `expiresAt` and refused a second time. */
  contextId: string;
  expiresAt: Date;
  /** Set on a subgraph-to-subgraph question: the asking subgraph's name. Absent on the gateway's contexts. */
  via?: string;
}

export interface InternalContextVerifier {
  /** Resolves the context carried by the `x-mhhs-context` header value, or throws an InternalContextError. */
  verify(headerValue: string | undefined, binding: ContextBinding): Promise<VerifiedContext>;
}

/** The signing key (gateway only; null where only the public key is configured) and the verifying key (subgraphs). */
export interface InternalContextKeys {
  privateKey: KeyLike | null;
  publicKey: KeyLike;
}

/** Who signs internal contexts, and their JWS `typ`: also used by the gateway's fast signer (gateway/context-signer.ts). */
export const CONTEXT_ISSUER = 'mhhs-gateway';
// A distinct `typ` means a user token can never pass as a context, even if keys were ever mixed up.
export const CONTEXT_TYPE = 'mhhs-context+jwt';
// Subgraph-to-subgraph questions: another key, issuer and type, so a subgraph can never mint a gateway context.
const QUESTION_ISSUER = 'mhhs-subgraph';
const QUESTION_TYPE = 'mhhs-question+jwt';
/** Seconds a context lives: long enough for one subgraph call to arrive, too short to be worth stealing. */
export const CONTEXT_LIFETIME_SECONDS = 5;
// Gateway and subgraphs may run on different hosts; tolerate small clock skew only.
const CLOCK_TOLERANCE_SECONDS = 2;

/** SHA-256 of the exact body bytes, base64url: the `bh` claim. */
export function contextBodyHash(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

interface SignOptions {
  /** Override of CONTEXT_LIFETIME_SECONDS, for the benchmark's direct-to-subgraph target only. */
  lifetimeSeconds?: number;
}

function contextClaims(ctx: InternalContext, binding: ContextBinding): JWTPayload {
  return { role: ctx.role, requestId: ctx.requestId, now: ctx.now.toISOString(), bh: contextBodyHash(binding.body) };
}

/** Signs the caller the gateway has authenticated, for one request body to one subgraph; valid for 5 seconds. */
export function signInternalContext(
  privateKey: KeyLike,
  ctx: InternalContext,
  binding: ContextBinding,
  options: SignOptions = {},
): Promise<string> {
  return new SignJWT(contextClaims(ctx, binding))
    .setProtectedHeader({ alg: 'EdDSA', typ: CONTEXT_TYPE })
    .setSubject(ctx.participant)
    .setIssuer(CONTEXT_ISSUER)
    .setAudience(binding.audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${options.lifetimeSeconds ?? CONTEXT_LIFETIME_SECONDS}s`)
    .sign(privateKey);
}

/**
 * Signs a subgraph's question to another subgraph, on behalf of the caller it is serving, with the subgraphs' question
 * key (never the gateway's). `via` names the asking subgraph; questions may only read (the verifier refuses a mutation).
 */
export function signSubgraphQuestion(
  privateKey: KeyLike,
  ctx: InternalContext,
  binding: ContextBinding & { via: string },
): Promise<string> {
  return new SignJWT({ ...contextClaims(ctx, binding), via: binding.via })
    .setProtectedHeader({ alg: 'EdDSA', typ: QUESTION_TYPE })
    .setSubject(ctx.participant)
    .setIssuer(QUESTION_ISSUER)
    .setAudience(binding.audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${CONTEXT_LIFETIME_SECONDS}s`)
    .sign(privateKey);
}

/** The public keys a subgraph trusts: the gateway's context key and the subgraphs' question key. */
export interface ContextTrust {
  gatewayKey: KeyLike;
  /** Absent: questions from other subgraphs are refused. */
  questionKey?: KeyLike;
}

/**
 * Builds the subgraph-side verifier once. It accepts EdDSA contexts signed by the gateway's key, or questions signed
 * by the question key, addressed to this subgraph, for exactly this body, not expired.
 */
export function createInternalContextVerifier(trust: ContextTrust): InternalContextVerifier {
  const common = { algorithms: ['EdDSA'], requiredClaims: ['exp', 'iat', 'sub', 'jti', 'aud'], clockTolerance: CLOCK_TOLERANCE_SECONDS };
  return {
    async verify(headerValue, binding) {
      if (!headerValue)
        refuse(`missing ${INTERNAL_CONTEXT_HEADER} header: subgraphs answer only requests forwarded by the gateway`, 'CONTEXT_MISSING');
      const isQuestion = typeOf(headerValue) === QUESTION_TYPE;
      if (isQuestion && !trust.questionKey) refuse('this subgraph takes no questions from other subgraphs', 'CONTEXT_QUESTION_NOT_ALLOWED');
      const options: JWTVerifyOptions = isQuestion
        ? { ...common, issuer: QUESTION_ISSUER, typ: QUESTION_TYPE, audience: binding.audience }
        : { ...common, issuer: CONTEXT_ISSUER, typ: CONTEXT_TYPE, audience: binding.audience };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(headerValue, isQuestion ? trust.questionKey! : trust.gatewayKey, options));
      } catch (error) {
        throw explain(error, binding.audience);
      }
      const { sub: participant, role, requestId, now, bh, jti, via } = payload;
      if (typeof participant !== 'string' || participant === '') refuse('internal context names no participant');
      if (!isMarketRole(role)) refuse(`internal context names unknown role ${JSON.stringify(role)?.slice(0, 60)}`);
      if (typeof requestId !== 'string' || requestId === '') refuse('internal context has no requestId');
      const instant = typeof now === 'string' ? new Date(now) : null;
      if (!instant || Number.isNaN(instant.getTime())) refuse('internal context has no business instant ("now")');
      if (typeof jti !== 'string' || jti === '') refuse('internal context has no id (jti)');
      if (isQuestion && (typeof via !== 'string' || via === '')) refuse('a question names no asking subgraph ("via")');
      if (typeof bh !== 'string' || bh !== contextBodyHash(binding.body))
        refuse('internal context was signed for another request body', 'CONTEXT_BODY_MISMATCH');
      return Object.freeze({
        participant,
        role,
        requestId,
        now: instant,
        contextId: jti,
        expiresAt: new Date(((payload.exp as number) + CLOCK_TOLERANCE_SECONDS) * 1000),
        ...(isQuestion ? { via: via as string } : {}),
      });
    },
  };
}

/** The `typ` of a compact JWS without trusting it (it only picks the key to verify with), or undefined. */
function typeOf(headerValue: string): string | undefined {
  try {
    return decodeProtectedHeader(headerValue).typ;
  } catch {
    return undefined;
  }
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
  const privateText = keyText(env, 'INTERNAL_CONTEXT_PRIVATE_JWK');
  const publicText = keyText(env, 'INTERNAL_CONTEXT_PUBLIC_JWK');
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

/** The key pair subgraphs sign their questions to each other with (both halves: every subgraph asks and answers). */
export interface SubgraphQuestionKeys {
  privateKey: KeyLike;
  publicKey: KeyLike;
}

/**
 * SUBGRAPH_QUESTION_PRIVATE_JWK (subgraphs only; an Ed25519 JWK as JSON). It is not the gateway's key: a subgraph
 * holding it can ask other subgraphs read-only questions for the caller it serves, never pass as the gateway. When
 * unset, `otherwise` supplies the pair (the local stack's dev pair); without it that is an error.
 */
export async function subgraphQuestionKeysFromEnv(
  env: Record<string, string | undefined>,
  otherwise?: () => Promise<SubgraphQuestionKeys>,
): Promise<SubgraphQuestionKeys> {
  const text = keyText(env, 'SUBGRAPH_QUESTION_PRIVATE_JWK');
  if (text) {
    const privateKey = await importEd25519('SUBGRAPH_QUESTION_PRIVATE_JWK', text, true);
    return { privateKey, publicKey: createPublicKey(privateKey as KeyObject) };
  }
  if (otherwise) return otherwise();
  throw new Error('set SUBGRAPH_QUESTION_PRIVATE_JWK (subgraphs): the Ed25519 JWK, as JSON, that signs questions between subgraphs');
}

/**
 * A key setting's JWK text: the variable itself, or the file its `<NAME>_FILE` variable names (how docker-compose and
 * container platforms hand over secrets: a mounted file, readable by that one service). Both set is an error.
 */
export function keyText(env: Record<string, string | undefined>, name: string): string | undefined {
  const inline = env[name]?.trim();
  const file = env[`${name}_FILE`]?.trim();
  if (inline && file) throw new Error(`set ${name} or ${name}_FILE, not both`);
  if (!file) return inline || undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`${name}_FILE ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
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
function explain(error: unknown, audience: string): unknown {
  if (error instanceof errors.JWTExpired)
    return new InternalContextError(
      `internal context expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}`,
      'CONTEXT_EXPIRED',
    );
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new InternalContextError(
      "internal context signature does not verify: it was not signed by the gateway's key",
      'CONTEXT_SIGNATURE_INVALID',
    );
  if (error instanceof errors.JOSEAlgNotAllowed) return new InternalContextError('internal context is not EdDSA-signed');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const value = JSON.stringify(error.payload[error.claim])?.slice(0, 60);
    if (error.claim === 'aud')
      return new InternalContextError(`internal context was signed for subgraph ${value}, not "${audience}"`, 'CONTEXT_AUDIENCE_MISMATCH');
    if (error.claim === 'iss') return new InternalContextError(`internal context issuer is ${value}`);
    if (error.claim === 'typ') return new InternalContextError(`internal context is not a context token (typ must be "${CONTEXT_TYPE}")`);
    return new InternalContextError(`internal context claim "${error.claim}" is invalid: ${error.message}`);
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new InternalContextError(`malformed internal context: ${error.message}`);
  }
  return error;
}

function refuse(message: string, reason?: ContextRefusalReason): never {
  throw new InternalContextError(message, reason);
}
