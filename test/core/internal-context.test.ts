import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import {
  createInternalContextVerifier,
  INTERNAL_CONTEXT_HEADER,
  InternalContextError,
  internalContextKeysFromEnv,
  signInternalContext,
  type InternalContext,
  type InternalContextVerifier,
} from '../../core';
import { internalContextKeysOrDevPair } from '../../dev/security';

const CONTEXT: InternalContext = { participant: 'SUPA', role: 'SUPPLIER', requestId: 'req-1', now: new Date('2026-10-25T01:30:00.000Z') };

let privateKey: KeyLike;
let publicKey: KeyLike;
let verifier: InternalContextVerifier;

beforeAll(async () => {
  ({ privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true }));
  verifier = createInternalContextVerifier(publicKey);
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
    aud: 'mhhs-subgraph',
    iat: now,
    exp: now + 60,
  };
  return new SignJWT({ ...defaults, ...claims }).setProtectedHeader({ alg: 'EdDSA', typ }).sign(privateKey);
}

async function refusal(headerValue: string | undefined): Promise<{ status: number; code: string; message: string }> {
  let error: unknown;
  try {
    await verifier.verify(headerValue);
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof InternalContextError)) throw new Error(`expected an InternalContextError, got ${String(error)}`);
  return { status: error.status, code: error.code, message: error.message };
}

const unauthenticated = (message: string) => ({ status: 401, code: 'UNAUTHENTICATED', message });

describe('internal context (gateway → subgraph)', () => {
  it('travels in the x-mhhs-context header', () => {
    expect(INTERNAL_CONTEXT_HEADER).toBe('x-mhhs-context');
  });

  it('verifies what the gateway signed', async () => {
    expect(await verifier.verify(await signInternalContext(privateKey, CONTEXT))).toEqual(CONTEXT);
  });

  it('refuses a context signed by another key', async () => {
    const forger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expect(await refusal(await signInternalContext(forger.privateKey, CONTEXT))).toEqual(
      unauthenticated("internal context signature does not verify: it was not signed by the gateway's key"),
    );
  });

  it('refuses a context older than its 60 seconds (plus clock tolerance)', async () => {
    const signedAt = Date.now() - 2 * 60_000;
    // Only the clock is faked: promises and crypto must keep running.
    jest.useFakeTimers({ now: signedAt, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'setInterval'] });
    let context: string;
    try {
      context = await signInternalContext(privateKey, CONTEXT);
    } finally {
      jest.useRealTimers();
    }
    const expiredAt = new Date((Math.floor(signedAt / 1000) + 60) * 1000).toISOString();
    expect(await refusal(context)).toEqual(unauthenticated(`internal context expired at ${expiredAt}`));
  });

  it('refuses a request without the header', async () => {
    const message = 'missing x-mhhs-context header: subgraphs answer only requests forwarded by the gateway';
    expect(await refusal(undefined)).toEqual(unauthenticated(message));
    expect(await refusal('')).toEqual(unauthenticated(message));
  });

  it('refuses a context whose payload was changed after signing', async () => {
    const [header, payload, signature] = (await signInternalContext(privateKey, CONTEXT)).split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const tampered = base64url.encode(JSON.stringify({ ...claims, role: 'REGISTRATION_SERVICE' }));
    expect(await refusal(`${header}.${tampered}.${signature}`)).toEqual(
      unauthenticated("internal context signature does not verify: it was not signed by the gateway's key"),
    );
  });

  it('refuses a context meant for another audience', async () => {
    expect(await refusal(await handMadeContext({ aud: 'mhhs-data-gateway' }))).toEqual(
      unauthenticated('internal context audience is "mhhs-data-gateway", expected "mhhs-subgraph"'),
    );
  });

  it('carries the request\'s business instant, so every subgraph of one request decides on the same "now"', async () => {
    const verified = await verifier.verify(await signInternalContext(privateKey, CONTEXT));
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
    const context = await signInternalContext(gateway.privateKey as KeyLike, CONTEXT);
    expect(await createInternalContextVerifier(subgraph.publicKey).verify(context)).toEqual(CONTEXT);
    expect(await createInternalContextVerifier(gateway.publicKey).verify(context)).toEqual(CONTEXT);
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
      const context = await signInternalContext(gateway.privateKey as KeyLike, CONTEXT);
      expect(await createInternalContextVerifier(subgraph.publicKey).verify(context)).toEqual(CONTEXT);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
