/**
 * Identity providers (issue 15 item 4): RS256 and ES256 keys served by a real local JWKS endpoint, the algorithm
 * allow-list, claim mapping, and what happens when the endpoint goes down (cached keys keep working; an unknown kid
 * answers 503 AUTH_KEYS_UNAVAILABLE; /readyz says so).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK, type JWTPayload, type KeyLike } from 'jose';
import type { FastifyInstance } from 'fastify';
import { AuthError, createTokenVerifier, type TokenVerifierOptions } from '../../gateway/auth/verify-token';
import { tokenRulesFromEnv } from '../../gateway/auth/auth-config';
import { buildGateway } from '../../gateway/build-gateway';
import type { AuditEntry } from '../../gateway/audit';
import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import { subgraphUrlsFromSupergraph } from '../../gateway/supergraph-urls';
import { testKeys } from '../support/test-keys';
import { testClock } from '../support/test-clock';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'mhhs-data-gateway';

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
  publicJwk: JWK;
}

async function signingKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const pair = await generateKeyPair(alg);
  return { kid, alg, privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' } };
}

function sign(key: SigningKey, claims: JWTPayload = {}): Promise<string> {
  return new SignJWT({ sub: 'SUPA', roles: ['SUPPLIER'], ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key.privateKey);
}

/** A real JWKS endpoint whose key set and availability a test changes; counts the fetches. */
class JwksServer {
  keys: JWK[] = [];
  up = true;
  fetches = 0;
  private server: Server = createServer((_request, response) => {
    this.fetches += 1;
    if (!this.up) {
      response.statusCode = 503;
      response.end('down for maintenance');
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: this.keys } satisfies JSONWebKeySet));
  });

  async start(): Promise<URL> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return new URL(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let rsa: SigningKey;
let ec: SigningKey;
let rotated: SigningKey;
const jwksServer = new JwksServer();
let jwksUrl: URL;

beforeAll(async () => {
  [rsa, ec, rotated] = await Promise.all([signingKey('RS256', 'rsa-1'), signingKey('ES256', 'ec-1'), signingKey('ES256', 'ec-2')]);
  jwksServer.keys = [rsa.publicJwk, ec.publicJwk];
  jwksUrl = await jwksServer.start();
});
afterAll(() => jwksServer.close());
beforeEach(() => {
  jwksServer.up = true;
  jwksServer.keys = [rsa.publicJwk, ec.publicJwk];
});

const verifierFor = (options: Partial<TokenVerifierOptions> = {}) =>
  createTokenVerifier({ jwks: jwksUrl, issuer: ISSUER, audience: AUDIENCE, keyRefetchCooldownMs: 0, ...options });

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return { status: error.status, code: error.code, message: error.message };
}

describe('tokens from an identity provider with RS256 and ES256 keys', () => {
  it('accepts both by default, from the keys the JWKS endpoint serves', async () => {
    const verifier = verifierFor();
    for (const key of [rsa, ec]) {
      expect(await verifier.verify({ authorization: `Bearer ${await sign(key)}` })).toEqual({
        participant: 'SUPA',
        roles: ['SUPPLIER'],
        role: 'SUPPLIER',
      });
    }
  });

  it('refuses an algorithm the allow-list (AUTH_ALGORITHMS) leaves out, naming what is accepted', async () => {
    const verifier = verifierFor(tokenRulesFromEnv({ AUTH_ALGORITHMS: 'RS256' }));
    expect((await verifier.verify({ authorization: `Bearer ${await sign(rsa)}` })).participant).toBe('SUPA');
    expect(await refusal(verifier.verify({ authorization: `Bearer ${await sign(ec)}` }))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'token algorithm "ES256" is not allowed; accepted: RS256',
    });
  });

  it('never allows none or HMAC, and refuses bad settings with one line naming the variable', () => {
    expect(() => tokenRulesFromEnv({ AUTH_ALGORITHMS: 'RS256,none' })).toThrow(
      'AUTH_ALGORITHMS: "none" is not allowed; choose from EdDSA, ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512 (never none or HMAC)',
    );
    expect(() => tokenRulesFromEnv({ AUTH_ALGORITHMS: 'HS256' })).toThrow('AUTH_ALGORITHMS: "HS256" is not allowed');
    expect(() => tokenRulesFromEnv({ AUTH_CLOCK_TOLERANCE_SECONDS: '-1' })).toThrow(
      'AUTH_CLOCK_TOLERANCE_SECONDS must be a whole number of seconds from 0 to 300, got "-1"',
    );
    expect(() => tokenRulesFromEnv({ AUTH_ROLE_MAP: 'supplier' })).toThrow('AUTH_ROLE_MAP: "supplier" is not name=MARKET_ROLE');
    expect(() => tokenRulesFromEnv({ AUTH_ROLE_MAP: 'supplier=SUPERUSER' })).toThrow('AUTH_ROLE_MAP: "SUPERUSER" is not a market role');
    expect(tokenRulesFromEnv({})).toEqual({
      algorithms: ['EdDSA', 'ES256', 'RS256'],
      clockToleranceSeconds: 5,
      participantClaim: 'sub',
      rolesClaim: 'roles',
    });
  });

  it('honours AUTH_CLOCK_TOLERANCE_SECONDS: an expired token passes only within it', async () => {
    const expiredFor = (seconds: number) =>
      new SignJWT({ sub: 'SUPA', roles: ['SUPPLIER'] })
        .setProtectedHeader({ alg: 'RS256', kid: rsa.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime(Math.floor(Date.now() / 1000) - seconds)
        .sign(rsa.privateKey);
    const strict = verifierFor(tokenRulesFromEnv({ AUTH_CLOCK_TOLERANCE_SECONDS: '0' }));
    expect((await refusal(strict.verify({ authorization: `Bearer ${await expiredFor(2)}` }))).code).toBe('UNAUTHENTICATED');
    const lenient = verifierFor(tokenRulesFromEnv({ AUTH_CLOCK_TOLERANCE_SECONDS: '60' }));
    expect((await lenient.verify({ authorization: `Bearer ${await expiredFor(30)}` })).role).toBe('SUPPLIER');
  });

  it('maps claims: participant from another claim, roles from a nested path, provider role names to market roles', async () => {
    const verifier = verifierFor(
      tokenRulesFromEnv({
        AUTH_PARTICIPANT_CLAIM: 'mpid',
        AUTH_ROLES_CLAIM: 'realm_access.roles',
        AUTH_ROLE_MAP: 'mhhs-supplier=SUPPLIER, mhhs-dno=DISTRIBUTOR',
      }),
    );
    const token = await sign(rsa, {
      sub: 'f3c1a9e0-user-guid',
      mpid: 'SUPB',
      roles: undefined,
      realm_access: { roles: ['offline_access', 'mhhs-supplier', 'uma_authorization'] },
    });
    expect(await verifier.verify({ authorization: `Bearer ${token}` })).toEqual({
      participant: 'SUPB',
      roles: ['SUPPLIER'],
      role: 'SUPPLIER',
    });
    const unmapped = await sign(rsa, { mpid: 'SUPB', realm_access: { roles: ['offline_access'] } });
    expect(await refusal(verifier.verify({ authorization: `Bearer ${unmapped}` }))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'the token\'s "realm_access.roles" claim must list at least one market role',
    });
  });
});

describe('when the JWKS endpoint is down', () => {
  it('keeps verifying with the cached keys, answers an unknown kid with 503 AUTH_KEYS_UNAVAILABLE, and recovers', async () => {
    const verifier = verifierFor();
    expect((await verifier.verify({ authorization: `Bearer ${await sign(rsa)}` })).participant).toBe('SUPA');
    expect(await verifier.keys()).toMatchObject({ state: 'loaded', keys: 2 });

    jwksServer.up = false;
    // A new token with a known kid (the cache of verified tokens does not help: this token is new).
    expect((await verifier.verify({ authorization: `Bearer ${await sign(ec, { sub: 'SUPC' })}` })).participant).toBe('SUPC');
    const unknownKid = await sign(rotated);
    expect(await refusal(verifier.verify({ authorization: `Bearer ${unknownKid}` }))).toEqual({
      status: 503,
      code: 'AUTH_KEYS_UNAVAILABLE',
      message: "the identity provider's keys cannot be fetched (HTTP 503); try again shortly",
    });
    expect(await verifier.keys()).toMatchObject({ state: 'stale', keys: 2, error: 'HTTP 503' });

    // Rotation: the provider publishes the new key and comes back; the new kid is fetched on first sight.
    jwksServer.keys = [rsa.publicJwk, ec.publicJwk, rotated.publicJwk];
    jwksServer.up = true;
    expect((await verifier.verify({ authorization: `Bearer ${unknownKid}` })).participant).toBe('SUPA');
    expect(await verifier.keys()).toMatchObject({ state: 'loaded', keys: 3 });
  });

  it('refetches an unknown kid at most once per cooldown, so bad tokens cannot hammer the provider', async () => {
    const verifier = createTokenVerifier({ jwks: jwksUrl, issuer: ISSUER, audience: AUDIENCE });
    await verifier.verify({ authorization: `Bearer ${await sign(rsa)}` });
    const before = jwksServer.fetches;
    for (let i = 0; i < 5; i++) {
      expect((await refusal(verifier.verify({ authorization: `Bearer ${await sign(rotated, { sub: `X${i}` })}` }))).message).toBe(
        'token is signed with an unknown key (kid "ec-2")',
      );
    }
    expect(jwksServer.fetches - before).toBeLessThanOrEqual(1);
  });
});

describe('the gateway with a dead JWKS endpoint', () => {
  let gateway: FastifyInstance;
  let base: string;
  let deadUrl: URL;
  const auditLog: AuditEntry[] = [];
  const deadServer = new JwksServer();

  beforeAll(async () => {
    deadServer.up = false;
    const url = (deadUrl = await deadServer.start());
    const keys = await testKeys();
    gateway = await buildGateway({
      supergraphSdl: readCommittedSupergraph(),
      // Never reached: every request here is refused before planning.
      subgraphUrls: subgraphUrlsFromSupergraph(readCommittedSupergraph()),
      tokenVerifier: createTokenVerifier({ jwks: url, issuer: ISSUER, audience: AUDIENCE, keyRefetchCooldownMs: 0 }),
      internalContextKey: keys.security.internalContextKey,
      clock: testClock(),
      audit: (entry) => auditLog.push(entry),
    });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await gateway.close();
    await deadServer.close();
  });

  it('answers 503 in the GraphQL error format with extensions.code, and audits it', async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign(rsa)}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: "the identity provider's keys cannot be fetched (HTTP 503); try again shortly",
          extensions: { code: 'AUTH_KEYS_UNAVAILABLE' },
        },
      ],
    });
    expect(auditLog.at(-1)).toMatchObject({ event: 'authentication_refused', status: 503, code: 'AUTH_KEYS_UNAVAILABLE' });
  });

  it('is not ready while it holds no keys, and /readyz says why', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    expect((await response.json()).keys).toEqual({
      state: 'unavailable',
      source: `AUTH_JWKS_URL ${deadUrl.href}`,
      keys: 0,
      error: 'HTTP 503',
    });
  });
});
