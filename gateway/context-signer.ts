import { createHash, KeyObject, randomUUID, sign, type webcrypto } from 'node:crypto';
import type { KeyLike } from 'jose';
import { CONTEXT_ISSUER, CONTEXT_LIFETIME_SECONDS, CONTEXT_TYPE, machineTimeMs, type ContextBinding, type InternalContext } from '../core';

// What core's signInternalContext writes (and createInternalContextVerifier checks): EdDSA, core's type and issuer.
const PROTECTED_HEADER = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: CONTEXT_TYPE })).toString('base64url');

/** Signs one request's internal context for each of its subgraph calls, bound to that subgraph and that exact body. */
export type RequestContextSigner = (binding: ContextBinding) => string;

/**
 * The gateway's signer of internal contexts, the same compact JWS as core's `signInternalContext` (EdDSA over the
 * same claims; the subgraphs verify it with jose), built without jose on the request path: a deep query makes a dozen
 * or more subgraph calls, each with a fresh signature (DESIGN.md contract), and in the gateway-bound profile jose's
 * object building around the one Ed25519 signature cost about as much again as the signature itself.
 * The claims common to one request (caller, role, request id, business instant) are encoded once per request; every
 * call adds its own audience, body hash, unique id (`jti`) and times.
 */
export function createContextSigner(privateKey: KeyLike): (ctx: InternalContext) => RequestContextSigner {
  const key = privateKey instanceof KeyObject ? privateKey : KeyObject.from(privateKey as webcrypto.CryptoKey);
  return (ctx) => {
    const common = `{"role":${JSON.stringify(ctx.role)},"requestId":${JSON.stringify(ctx.requestId)},"now":${JSON.stringify(ctx.now.toISOString())},"sub":${JSON.stringify(ctx.participant)},"iss":"${CONTEXT_ISSUER}"`;
    return (binding) => {
      const issuedAt = Math.floor(machineTimeMs() / 1000);
      const bodyHash = createHash('sha256').update(binding.body).digest('base64url');
      const payload = `${common},"bh":"${bodyHash}","aud":${JSON.stringify(binding.audience)},"jti":"${randomUUID()}","iat":${issuedAt},"exp":${issuedAt + CONTEXT_LIFETIME_SECONDS}}`;
      const signingInput = `${PROTECTED_HEADER}.${Buffer.from(payload).toString('base64url')}`;
      return `${signingInput}.${sign(null, Buffer.from(signingInput), key).toString('base64url')}`;
    };
  };
}
