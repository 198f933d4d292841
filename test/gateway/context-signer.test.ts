import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createInternalContextVerifier, InternalContextError, signInternalContext } from '../../core';
import { createContextSigner } from '../../gateway/context-signer';
import { testKeys } from '../support/test-keys';

// The gateway signs its internal contexts without jose on the request path (issue 17); what it signs must be exactly
// what core's signer writes and what the subgraphs verify: bound to one subgraph and one body (issue 11, item 4).
describe('gateway: context signer', () => {
  const caller = { participant: 'SUPA', role: 'SUPPLIER' as const, requestId: 'req-1', now: new Date('2026-10-27T12:00:00Z') };
  const body = '{"query":"{ _service { sdl } }"}';

  it("writes the same header and claims as core's signer, and the subgraphs' verifier accepts it", async () => {
    const { keys, security } = await testKeys();
    const verifier = createInternalContextVerifier({ gatewayKey: keys.internalContext.publicKey });
    const sign = createContextSigner(security.internalContextKey)(caller);
    const fast = sign({ audience: 'registration', body });
    const reference = await signInternalContext(security.internalContextKey, caller, { audience: 'registration', body });
    expect(decodeProtectedHeader(fast)).toEqual(decodeProtectedHeader(reference));
    const { jti: fastId, iat: _i1, exp: fastExp, ...fastClaims } = decodeJwt(fast);
    const { jti: referenceId, iat: _i2, exp: _e2, ...referenceClaims } = decodeJwt(reference);
    expect(fastClaims).toEqual(referenceClaims);
    expect(fastId).not.toBe(referenceId);
    expect(fastExp! - decodeJwt(fast).iat!).toBe(5);

    const verified = await verifier.verify(fast, { audience: 'registration', body });
    expect(verified).toMatchObject({ participant: 'SUPA', role: 'SUPPLIER', requestId: 'req-1', now: caller.now });
  });

  it('binds each signature to its subgraph and body, with an id of its own', async () => {
    const { keys, security } = await testKeys();
    const verifier = createInternalContextVerifier({ gatewayKey: keys.internalContext.publicKey });
    const sign = createContextSigner(security.internalContextKey)(caller);
    const first = sign({ audience: 'registration', body });
    expect(decodeJwt(sign({ audience: 'registration', body })).jti).not.toBe(decodeJwt(first).jti);
    await expect(verifier.verify(first, { audience: 'registration', body: `${body} ` })).rejects.toMatchObject({
      reason: 'CONTEXT_BODY_MISMATCH',
    });
    await expect(verifier.verify(first, { audience: 'settlement', body })).rejects.toBeInstanceOf(InternalContextError);
    await expect(verifier.verify(first, { audience: 'settlement', body })).rejects.toMatchObject({ reason: 'CONTEXT_AUDIENCE_MISMATCH' });
  });
});
