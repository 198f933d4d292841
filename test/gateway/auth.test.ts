import { execFile } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  base64url,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type KeyLike,
} from 'jose';
import { authConfigFromEnv } from '../../gateway/auth/auth-config';
import { ensureDevKeys } from '../../dev/dev-keys';
import { signDevToken } from '../../dev/sign-dev-token';
import { authConfigOrDevKeys } from '../../dev/security';
import { AuthError, createTokenVerifier, type AuthHeaders, type TokenVerifier } from '../../gateway/auth/verify-token';
import type { MarketRole } from '../../core';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const ISSUER = 'mhhs-test';
const AUDIENCE = 'mhhs-data-gateway';

let privateJwk: JWK;
let privateKey: KeyLike;
let jwks: JSONWebKeySet;
let verifier: TokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(pair.privateKey);
  privateJwk = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'EdDSA', use: 'sig' };
  privateKey = pair.privateKey;
  const { d: _d, ...publicJwk } = privateJwk;
  jwks = { keys: [publicJwk] };
  verifier = createTokenVerifier({ jwks, issuer: ISSUER, audience: AUDIENCE });
});

const temporaryDirs: string[] = [];
function temporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mhhs-auth-'));
  temporaryDirs.push(dir);
  return dir;
}
afterAll(() => temporaryDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function devToken(roles: MarketRole[], participant = 'SUPA'): Promise<string> {
  return signDevToken(privateJwk, { participant, roles, ttl: '1h', issuer: ISSUER, audience: AUDIENCE });
}

const now = () => Math.floor(Date.now() / 1000);

/** A token with hand-set claims, for times and values `signDevToken` never produces. */
function customToken(claims: JWTPayload, key: KeyLike = privateKey, kid = privateJwk.kid): Promise<string> {
  const defaults = { sub: 'SUPA', roles: ['SUPPLIER'], iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 3600 };
  return new SignJWT({ ...defaults, ...claims }).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key);
}

/** How `verify` refused the request; also checks that no message ever carries the credential it was given. */
async function refusal(headers: AuthHeaders): Promise<{ status: number; code: string; message: string }> {
  let error: unknown;
  try {
    await verifier.verify(headers);
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  const credential = headers.authorization?.trim().split(/\s+/).pop();
  if (credential && credential.length > 8) expect(error.message).not.toContain(credential);
  return { status: error.status, code: error.code, message: error.message };
}

/** What a deployment gets without AUTH_ALGORITHMS, AUTH_CLOCK_TOLERANCE_SECONDS and the claim settings. */
const DEFAULT_TOKEN_RULES = {
  algorithms: ['EdDSA', 'ES256', 'RS256'],
  clockToleranceSeconds: 5,
  participantClaim: 'sub',
  rolesClaim: 'roles',
};

const unauthenticated = (message: string) => ({ status: 401, code: 'UNAUTHENTICATED', message });

describe('bearer token verification', () => {
  it('accepts a valid token with one role and acts in that role', async () => {
    const caller = await verifier.verify({ authorization: `Bearer ${await devToken(['SUPPLIER'])}` });
    expect(caller).toEqual({ participant: 'SUPA', roles: ['SUPPLIER'], role: 'SUPPLIER' });
  });

  it('acts in the role x-acting-role picks when the token holds several', async () => {
    const token = await devToken(['SMART_DATA_SERVICE', 'METER_READING_SERVICE'], 'SDSB');
    const caller = await verifier.verify({ authorization: `bearer ${token}`, 'x-acting-role': 'METER_READING_SERVICE' });
    expect(caller).toEqual({ participant: 'SDSB', roles: ['SMART_DATA_SERVICE', 'METER_READING_SERVICE'], role: 'METER_READING_SERVICE' });
  });

  it('refuses a token with several roles and no x-acting-role with 400 listing the choices', async () => {
    const token = await devToken(['SMART_DATA_SERVICE', 'METER_READING_SERVICE']);
    expect(await refusal({ authorization: `Bearer ${token}` })).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      message: 'the token holds several roles; choose one with x-acting-role: SMART_DATA_SERVICE, METER_READING_SERVICE',
    });
  });

  it('refuses an x-acting-role the token does not hold with 403', async () => {
    const token = await devToken(['SUPPLIER']);
    expect(await refusal({ authorization: `Bearer ${token}`, 'x-acting-role': 'DISTRIBUTOR' })).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: 'participant SUPA does not hold role DISTRIBUTOR; the token grants: SUPPLIER',
    });
  });

  it('refuses an x-acting-role that is not a market role with 400 listing the valid names', async () => {
    const token = await devToken(['SUPPLIER']);
    expect(await refusal({ authorization: `Bearer ${token}`, 'x-acting-role': 'ADMIN' })).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      message:
        'x-acting-role "ADMIN" is not a market role; valid roles: SUPPLIER, REGISTRATION_SERVICE, SMART_DATA_SERVICE, ' +
        'METER_READING_SERVICE, ADVANCED_DATA_SERVICE, UNMETERED_DATA_SERVICE, SMART_METERING_SERVICE, ' +
        'ADVANCED_METERING_SERVICE, DISTRIBUTOR, MARKET_WIDE_DATA_SERVICE, VOLUME_ALLOCATION_SERVICE, CENTRAL_REGISTRATION_AGENT',
    });
  });

  it('refuses a token whose roles claim holds an unknown role, naming it', async () => {
    const token = await customToken({ roles: ['SUPPLIER', 'SUPERUSER'] });
    expect(await refusal({ authorization: `Bearer ${token}` })).toEqual(
      unauthenticated('the token\'s "roles" claim holds unknown role "SUPERUSER"'),
    );
  });

  it('refuses a token whose roles claim is empty or missing', async () => {
    expect(await refusal({ authorization: `Bearer ${await customToken({ roles: [] })}` })).toEqual(
      unauthenticated('the token\'s "roles" claim must list at least one market role'),
    );
    expect(await refusal({ authorization: `Bearer ${await customToken({ roles: undefined })}` })).toEqual(
      unauthenticated('the token\'s "roles" claim must list at least one market role'),
    );
  });

  it('refuses a token without a subject', async () => {
    expect(await refusal({ authorization: `Bearer ${await customToken({ sub: undefined })}` })).toEqual(
      unauthenticated('the token\'s "sub" claim must name the participant (MPID)'),
    );
  });

  it('refuses an unsigned token (alg "none") and names the algorithm', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify({ sub: 'SUPA', roles: ['SUPPLIER'], iss: ISSUER, aud: AUDIENCE, exp: now() + 3600 }));
    expect(await refusal({ authorization: `Bearer ${header}.${payload}.` })).toEqual(
      unauthenticated('token algorithm "none" is not allowed; accepted: EdDSA, ES256, RS256'),
    );
  });

  it('refuses an HS256 token keyed with the public key bytes (algorithm confusion)', async () => {
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const token = await new SignJWT({ sub: 'SUPA', roles: ['SUPPLIER'], iss: ISSUER, aud: AUDIENCE, exp: now() + 3600 })
      .setProtectedHeader({ alg: 'HS256', kid: privateJwk.kid })
      .sign(publicKeyBytes);
    expect(await refusal({ authorization: `Bearer ${token}` })).toEqual(
      unauthenticated('token algorithm "HS256" is not allowed; accepted: EdDSA, ES256, RS256'),
    );
  });

  it('refuses a token signed by another Ed25519 key, whether it claims the trusted kid or its own', async () => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expect(await refusal({ authorization: `Bearer ${await customToken({}, other.privateKey)}` })).toEqual(
      unauthenticated('token signature does not verify against the trusted keys'),
    );
    expect(await refusal({ authorization: `Bearer ${await customToken({}, other.privateKey, 'other-key')}` })).toEqual(
      unauthenticated('token is signed with an unknown key (kid "other-key")'),
    );
  });

  it('refuses an expired token and says when it expired', async () => {
    const exp = now() - 120;
    expect(await refusal({ authorization: `Bearer ${await customToken({ iat: exp - 3600, exp })}` })).toEqual(
      unauthenticated(`token expired at ${new Date(exp * 1000).toISOString()}`),
    );
  });

  it('accepts a token that expired less than 5 seconds ago (the default clock tolerance), refuses one 10 seconds ago', async () => {
    const caller = await verifier.verify({ authorization: `Bearer ${await customToken({ exp: now() - 2 })}` });
    expect(caller.role).toBe('SUPPLIER');
    const exp = now() - 10;
    expect(await refusal({ authorization: `Bearer ${await customToken({ exp })}` })).toEqual(
      unauthenticated(`token expired at ${new Date(exp * 1000).toISOString()}`),
    );
  });

  it('refuses a token that is not valid yet (nbf in the future)', async () => {
    const nbf = now() + 120;
    expect(await refusal({ authorization: `Bearer ${await customToken({ nbf })}` })).toEqual(
      unauthenticated(`token is not valid before ${new Date(nbf * 1000).toISOString()}`),
    );
  });

  it('refuses a token for another audience and says which is expected', async () => {
    expect(await refusal({ authorization: `Bearer ${await customToken({ aud: 'another-api' })}` })).toEqual(
      unauthenticated('token audience is "another-api", expected "mhhs-data-gateway"'),
    );
  });

  it('refuses a token from another issuer and says which is expected', async () => {
    expect(await refusal({ authorization: `Bearer ${await customToken({ iss: 'https://evil.example' })}` })).toEqual(
      unauthenticated('token issuer is "https://evil.example", expected "mhhs-test"'),
    );
  });

  it('refuses a request without an Authorization header', async () => {
    expect(await refusal({})).toEqual(unauthenticated('missing Authorization header: send "Authorization: Bearer <token>"'));
    expect(await refusal({ authorization: '  ' })).toEqual(
      unauthenticated('missing Authorization header: send "Authorization: Bearer <token>"'),
    );
  });

  it('refuses a Basic credential and names the scheme, but never echoes a bare token', async () => {
    expect(await refusal({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' })).toEqual(
      unauthenticated('the Authorization header must be "Bearer <token>", not a "Basic" credential'),
    );
    expect(await refusal({ authorization: await devToken(['SUPPLIER']) })).toEqual(
      unauthenticated('the Authorization header must be "Bearer <token>" (one token, no spaces)'),
    );
  });

  it('refuses a bearer value that is not a JWS', async () => {
    expect(await refusal({ authorization: 'Bearer this-is-not-a-token' })).toEqual(
      unauthenticated('malformed token: not a signed JWT (compact JWS "header.payload.signature"): Invalid Compact JWS'),
    );
    // Three base64url parts of "{}": well formed, but the header names no algorithm.
    expect(await refusal({ authorization: 'Bearer e30.e30.e30' })).toEqual(
      unauthenticated(
        'malformed token: not a signed JWT (compact JWS "header.payload.signature"): JWS "alg" (Algorithm) Header Parameter missing or invalid',
      ),
    );
  });

  it('fetches the keys from a JWKS URL', async () => {
    const server: Server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const remote = createTokenVerifier({ jwks: new URL(`http://127.0.0.1:${port}/jwks.json`), issuer: ISSUER, audience: AUDIENCE });
      const caller = await remote.verify({ authorization: `Bearer ${await devToken(['DISTRIBUTOR'], 'DIST')}` });
      expect(caller).toEqual({ participant: 'DIST', roles: ['DISTRIBUTOR'], role: 'DISTRIBUTOR' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('dev keys', () => {
  it('are created once, private files 0600 in a 0700 directory, and reused on the next call', async () => {
    const dataDir = temporaryDir();
    const first = await ensureDevKeys(dataDir);
    const files = [
      first.tokenSigning.privateJwkPath,
      first.tokenSigning.jwksPath,
      first.internalContext.privateJwkPath,
      first.internalContext.publicJwkPath,
    ];
    const contents = files.map((file) => readFileSync(file, 'utf8'));
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect([mode(first.dir), mode(first.tokenSigning.privateJwkPath), mode(first.internalContext.privateJwkPath)]).toEqual([
      0o700, 0o600, 0o600,
    ]);
    expect(JSON.parse(contents[1])).toEqual({
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: first.tokenSigning.kid, alg: 'EdDSA', use: 'sig' }],
    });

    const second = await ensureDevKeys(dataDir);
    expect(files.map((file) => readFileSync(file, 'utf8'))).toEqual(contents);
    expect(second.tokenSigning.kid).toBe(first.tokenSigning.kid);
    // A token signed before a restart still verifies after it.
    const token = await signDevToken(first.tokenSigning.privateJwk, {
      participant: 'SUPA',
      roles: ['SUPPLIER'],
      ttl: '15m',
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const caller = await createTokenVerifier({ jwks: second.tokenSigning.jwks, issuer: ISSUER, audience: AUDIENCE }).verify({
      authorization: `Bearer ${token}`,
    });
    expect(caller.participant).toBe('SUPA');
  });

  it('agree on one key pair when several processes create them at once', async () => {
    const dataDir = temporaryDir();
    const all = await Promise.all([ensureDevKeys(dataDir), ensureDevKeys(dataDir), ensureDevKeys(dataDir)]);
    expect(new Set(all.map((keys) => keys.tokenSigning.kid)).size).toBe(1);
    expect(all.every((keys) => (keys.internalContext.publicKey as KeyObject).equals(all[0].internalContext.publicKey as KeyObject))).toBe(
      true,
    );
    // No temporary file is left behind by the writers that lost the race.
    expect(readdirSync(all[0].dir).sort()).toEqual([
      'internal-context.private.jwk.json',
      'internal-context.public.jwk.json',
      'subgraph-question.private.jwk.json',
      'token-signing.jwks.json',
      'token-signing.private.jwk.json',
    ]);
  });
});

describe('auth config from the environment', () => {
  it('is required of the product; the local stack uses the dev issuer, audience and key pair in the data dir when nothing is set', async () => {
    await expect(authConfigFromEnv({})).rejects.toThrow('set AUTH_JWKS_FILE or AUTH_JWKS_URL');
    const dataDir = temporaryDir();
    const config = await authConfigOrDevKeys({}, dataDir);
    const keys = await ensureDevKeys(dataDir);
    expect(config).toEqual({
      issuer: 'mhhs-dev',
      audience: 'mhhs-data-gateway',
      jwks: keys.tokenSigning.jwks,
      jwksSource: `dev key ${keys.tokenSigning.jwksPath}`,
      ...DEFAULT_TOKEN_RULES,
    });
  });

  it('reads AUTH_ISSUER, AUTH_AUDIENCE and a JWKS from AUTH_JWKS_FILE or AUTH_JWKS_URL', async () => {
    const file = join(temporaryDir(), 'jwks.json');
    writeFileSync(file, JSON.stringify(jwks));
    const fromFile = await authConfigFromEnv({ AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'mhhs', AUTH_JWKS_FILE: file });
    expect(fromFile).toEqual({
      issuer: 'https://idp.example',
      audience: 'mhhs',
      jwks,
      jwksSource: `AUTH_JWKS_FILE ${file}`,
      ...DEFAULT_TOKEN_RULES,
    });
    const fromUrl = await authConfigFromEnv({ AUTH_JWKS_URL: 'https://idp.example/jwks.json', AUTH_ISSUER: '' });
    expect(fromUrl).toEqual({
      issuer: 'mhhs-dev',
      audience: 'mhhs-data-gateway',
      jwks: new URL('https://idp.example/jwks.json'),
      jwksSource: 'AUTH_JWKS_URL https://idp.example/jwks.json',
      ...DEFAULT_TOKEN_RULES,
    });
  });

  it('refuses ambiguous or unsafe key settings', async () => {
    const file = join(temporaryDir(), 'jwks.json');
    await expect(authConfigFromEnv({ AUTH_JWKS_FILE: file, AUTH_JWKS_URL: 'https://idp.example/jwks.json' })).rejects.toThrow(
      'set AUTH_JWKS_FILE or AUTH_JWKS_URL, not both',
    );
    writeFileSync(file, JSON.stringify({ keys: [privateJwk] }));
    await expect(authConfigFromEnv({ AUTH_JWKS_FILE: file })).rejects.toThrow(
      `AUTH_JWKS_FILE ${file} holds a private key; give the verifier public keys only`,
    );
    await expect(authConfigFromEnv({ AUTH_JWKS_URL: 'file:///etc/jwks.json' })).rejects.toThrow(
      'AUTH_JWKS_URL must be an https: (or http:) URL, got file:',
    );
  });
});

describe('npm run token', () => {
  const childEnv = (dataDir: string) => {
    const { AUTH_ISSUER: _i, AUTH_AUDIENCE: _a, AUTH_JWKS_FILE: _f, AUTH_JWKS_URL: _u, ...env } = process.env;
    return { ...env, DATA_DIR: dataDir, NODE_OPTIONS: '' };
  };

  it('prints only a token on one line, signed with the dev key the gateway trusts', async () => {
    const dataDir = temporaryDir();
    const args = ['scripts/token.ts', '--role', 'SUPPLIER', '--roles', 'SUPPLIER,DISTRIBUTOR', '--participant', 'ABCD', '--ttl', '15m'];
    const { stdout } = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), args, { cwd: ROOT, env: childEnv(dataDir) });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const keys = await ensureDevKeys(dataDir);
    const devVerifier = createTokenVerifier({ jwks: keys.tokenSigning.jwks, issuer: 'mhhs-dev', audience: 'mhhs-data-gateway' });
    const caller = await devVerifier.verify({ authorization: `Bearer ${stdout.trim()}`, 'x-acting-role': 'DISTRIBUTOR' });
    expect(caller).toEqual({ participant: 'ABCD', roles: ['SUPPLIER', 'DISTRIBUTOR'], role: 'DISTRIBUTOR' });
  });

  it('exits 1 with a usage line on stderr and nothing on stdout for a bad flag', async () => {
    const child = run(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/token.ts', '--role', 'SUPPLIER'], {
      cwd: ROOT,
      env: childEnv(temporaryDir()),
    });
    await expect(child).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        '--participant is required: the participant id (MPID) the token is for\n' +
        'usage: npm run --silent token -- --role ROLE --participant MPID [--roles ROLE,ROLE...] [--ttl 1h]\n',
    });
  });
});
