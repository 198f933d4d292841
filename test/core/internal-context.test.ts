import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import {
  contextBodyHash,
  createInternalContextVerifier,
  INTERNAL_CONTEXT_HEADER,
  InternalContextError,
  internalContextKeysFromEnv,
  signInternalContext,
  signSubgraphQuestion,
  type ContextBinding,
  type InternalContext,
  type InternalContextVerifier,
} from '../../core';
import { internalContextKeysOrDevPair } from '../../dev/security';

const CONTEXT: InternalContext = { participant: 'SUPA', role: 'SUPPLIER', requestId: 'req-1', now: new Date('2026-10-25T01:30:00.000Z') };
/** The one subgraph call every context here is signed for, unless a test says otherwise. */
const BINDING: ContextBinding = { audience: 'registration', body: '{"query":"{ gspGroups { id } }"}' };
/** What the verifier returns for CONTEXT: the caller plus the context's id and expiry. */
const VERIFIED = { ...CONTEXT, contextId: expect.any(String), expiresAt: expect.any(Date) };

let privateKey: KeyLike;
let publicKey: KeyLike;
let verifier: InternalContextVerifier;

beforeAll(async () => {
  ({ privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true }));
  verifier = createInternalContextVerifier({ gatewayKey: publicKey });
});

/** A context with hand-set claims and the gateway's header, for values `signInternalContext` never produces. */
function handMadeContext(claims: JWTPayload, typ = 'mhhs-context+jwt'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const defaults = {
    sub: 'SUPA',
    role: 'SUPPLIER',
    requestId: 'req-1',
    now: '2026-10-25T01:30:00.000Z',
    iss: 'mhhs-gateway',
    aud: BINDING.audience,
    bh: contextBodyHash(BINDING.body),
    jti: 'hand-made',
    iat: now,
    exp: now + 5,
  };
  return new SignJWT({ ...defaults, ...claims }).setProtectedHeader({ alg: 'EdDSA', typ }).sign(privateKey);
}

async function refusal(
  headerValue: string | undefined,
  binding: ContextBinding = BINDING,
  by: InternalContextVerifier = verifier,
): Promise<{ status: number; code: string; message: string; reason: string }> {
  let error: unknown;
  try {
    await by.verify(headerValue, binding);
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof InternalContextError)) throw new Error(`expected an InternalContextError, got ${String(error)}`);
  return { status: error.status, code: error.code, message: error.message, reason: error.reason };
}

const unauthenticated = (message: string, reason = 'CONTEXT_INVALID') => ({ status: 401, code: 'UNAUTHENTICATED', message, reason });
const sign = (key: KeyLike = privateKey, binding: ContextBinding = BINDING) => signInternalContext(key, CONTEXT, binding);

describe('internal context (gateway → subgraph)', () => {
  it('travels in the x-mhhs-context header', () => {
    expect(INTERNAL_CONTEXT_HEADER).toBe('x-mhhs-context');
  });

  it('verifies what the gateway signed', async () => {
    expect(await verifier.verify(await sign(), BINDING)).toEqual(VERIFIED);
  });

  it('refuses a context signed by another key', async () => {
    const forger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expect(await refusal(await sign(forger.privateKey))).toEqual(
      unauthenticated("internal context signature does not verify: it was not signed by the gateway's key", 'CONTEXT_SIGNATURE_INVALID'),
    );
  });

  it('refuses a context older than its 5 seconds (plus 2 s clock tolerance)', async () => {
    const signedAt = Date.now() - 8_000;
    // Only the clock is faked: promises and crypto must keep running.
    jest.useFakeTimers({ now: signedAt, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'setInterval'] });
    let context: string;
    try {
      context = await sign();
    } finally {
      jest.useRealTimers();
    }
    const expiredAt = new Date((Math.floor(signedAt / 1000) + 5) * 1000).toISOString();
    expect(await refusal(context)).toEqual(unauthenticated(`internal context expired at ${expiredAt}`, 'CONTEXT_EXPIRED'));
  });

  it('refuses a request without the header', async () => {
    const message = 'missing x-mhhs-context header: subgraphs answer only requests forwarded by the gateway';
    expect(await refusal(undefined)).toEqual(unauthenticated(message, 'CONTEXT_MISSING'));
    expect(await refusal('')).toEqual(unauthenticated(message, 'CONTEXT_MISSING'));
  });

  it('refuses a context whose payload was changed after signing', async () => {
    const [header, payload, signature] = (await sign()).split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const tampered = base64url.encode(JSON.stringify({ ...claims, role: 'REGISTRATION_SERVICE' }));
    expect(await refusal(`${header}.${tampered}.${signature}`)).toEqual(
      unauthenticated("internal context signature does not verify: it was not signed by the gateway's key", 'CONTEXT_SIGNATURE_INVALID'),
    );
  });

  it('is bound to one subgraph: a context signed for registration is refused by appointment (issue 11, item 4)', async () => {
    expect(await refusal(await sign(), { ...BINDING, audience: 'appointment' })).toEqual(
      unauthenticated('internal context was signed for subgraph "registration", not "appointment"', 'CONTEXT_AUDIENCE_MISMATCH'),
    );
  });

  it('is bound to the exact body: one changed byte, or another operation, is refused', async () => {
    for (const body of [BINDING.body.toString().replace('id', 'name'), `${BINDING.body} `, '']) {
      expect(await refusal(await sign(), { ...BINDING, body })).toEqual(
        unauthenticated('internal context was signed for another request body', 'CONTEXT_BODY_MISMATCH'),
      );
    }
    // The same bytes as a Buffer (how a subgraph receives them) verify.
    expect(await verifier.verify(await sign(), { ...BINDING, body: Buffer.from(BINDING.body as string) })).toEqual(VERIFIED);
  });

  it('gets a new id on every signature, so a mutation can spend it once', async () => {
    const [first, second] = await Promise.all([sign(), sign()]);
    expect((await verifier.verify(first, BINDING)).contextId).not.toBe((await verifier.verify(second, BINDING)).contextId);
  });

  it('refuses a context without body hash or id', async () => {
    expect(await refusal(await handMadeContext({ bh: undefined }))).toEqual(
      unauthenticated('internal context was signed for another request body', 'CONTEXT_BODY_MISMATCH'),
    );
    expect((await refusal(await handMadeContext({ jti: undefined }))).reason).toBe('CONTEXT_INVALID');
  });

  it('carries the request\'s business instant, so every subgraph of one request decides on the same "now"', async () => {
    const verified = await verifier.verify(await sign(), BINDING);
    expect(verified.now.toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });

  it('refuses a context without a business instant, or with one that is not an instant', async () => {
    for (const now of [undefined, 'yesterday', 1_790_000_000]) {
      expect(await refusal(await handMadeContext({ now }))).toEqual(unauthenticated('internal context has no business instant ("now")'));
    }
  });

  it('refuses a context naming an unknown role', async () => {
    expect(await refusal(await handMadeContext({ role: 'ROOT' }))).toEqual(unauthenticated('internal context names unknown role "ROOT"'));
  });

  it('refuses a user token signed with the same key (it is not a context)', async () => {
    expect(await refusal(await handMadeContext({}, 'JWT'))).toEqual(
      unauthenticated('internal context is not a context token (typ must be "mhhs-context+jwt")'),
    );
  });
});

describe('internal context keys', () => {
  it('come from INTERNAL_CONTEXT_PRIVATE_JWK on the gateway and INTERNAL_CONTEXT_PUBLIC_JWK on a subgraph', async () => {
    const privateJwk = await exportJWK(privateKey);
    const { d: _d, ...publicJwk } = privateJwk;
    const gateway = await internalContextKeysFromEnv({ INTERNAL_CONTEXT_PRIVATE_JWK: JSON.stringify(privateJwk) });
    const subgraph = await internalContextKeysFromEnv({ INTERNAL_CONTEXT_PUBLIC_JWK: JSON.stringify(publicJwk) });
    expect(subgraph.privateKey).toBeNull();
    const context = await sign(gateway.privateKey as KeyLike);
    expect(await createInternalContextVerifier({ gatewayKey: subgraph.publicKey }).verify(context, BINDING)).toEqual(VERIFIED);
    expect(await createInternalContextVerifier({ gatewayKey: gateway.publicKey }).verify(context, BINDING)).toEqual(VERIFIED);
  });

  it('refuse a private key where only the public one belongs, and a pair that does not match', async () => {
    const privateJwk = await exportJWK(privateKey);
    await expect(internalContextKeysFromEnv({ INTERNAL_CONTEXT_PUBLIC_JWK: JSON.stringify(privateJwk) })).rejects.toThrow(
      'INTERNAL_CONTEXT_PUBLIC_JWK holds a private key ("d"); give subgraphs the public key only',
    );
    const { d: _d, ...otherPublic } = await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey);
    const env = { INTERNAL_CONTEXT_PRIVATE_JWK: JSON.stringify(privateJwk), INTERNAL_CONTEXT_PUBLIC_JWK: JSON.stringify(otherPublic) };
    await expect(internalContextKeysFromEnv(env)).rejects.toThrow(
      'INTERNAL_CONTEXT_PUBLIC_JWK is not the public half of INTERNAL_CONTEXT_PRIVATE_JWK',
    );
  });

  it('are required of the product, and the local stack falls back to the dev pair in the data dir, the same for the gateway and every subgraph', async () => {
    await expect(internalContextKeysFromEnv({})).rejects.toThrow(
      'set INTERNAL_CONTEXT_PRIVATE_JWK (gateway) or INTERNAL_CONTEXT_PUBLIC_JWK (subgraph)',
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'mhhs-context-'));
    try {
      const gateway = await internalContextKeysOrDevPair({}, dataDir);
      const subgraph = await internalContextKeysOrDevPair({}, dataDir);
      const context = await sign(gateway.privateKey as KeyLike);
      expect(await createInternalContextVerifier({ gatewayKey: subgraph.publicKey }).verify(context, BINDING)).toEqual(VERIFIED);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("questions between subgraphs (signed with the subgraphs' question key, never the gateway's)", () => {
  let question: { privateKey: KeyLike; publicKey: KeyLike };
  let trusting: InternalContextVerifier;
  beforeAll(async () => {
    question = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    trusting = createInternalContextVerifier({ gatewayKey: publicKey, questionKey: question.publicKey });
  });
  const ask = (key: KeyLike) => signSubgraphQuestion(key, CONTEXT, { ...BINDING, via: 'appointment' });

  it('verifies a question for this subgraph and body, naming the asking subgraph', async () => {
    expect(await trusting.verify(await ask(question.privateKey), BINDING)).toEqual({ ...VERIFIED, via: 'appointment' });
  });

  it('refuses a question where no question key is trusted, and one signed with the gateway key as if it were a question', async () => {
    expect(await refusal(await ask(question.privateKey))).toEqual(
      unauthenticated('this subgraph takes no questions from other subgraphs', 'CONTEXT_QUESTION_NOT_ALLOWED'),
    );
    expect((await refusal(await ask(privateKey), BINDING, trusting)).reason).toBe('CONTEXT_SIGNATURE_INVALID');
  });

  it('cannot pass as the gateway: a gateway-typed context signed with the question key is refused', async () => {
    expect((await refusal(await sign(question.privateKey), BINDING, trusting)).reason).toBe('CONTEXT_SIGNATURE_INVALID');
  });
});
