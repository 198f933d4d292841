import { calculateJwkThumbprint, importJWK, SignJWT, type JWK } from 'jose';
import type { MarketRole } from '../core';

export interface DevTokenClaims {
  /** The participant's MPID, carried as `sub`. */
  participant: string;
  roles: readonly MarketRole[];
  /** Lifetime as a number and a unit: '30s', '15m', '1h', '7d'. */
  ttl: string;
  issuer: string;
  audience: string;
}

/** True for a lifetime `signDevToken` accepts: a whole number and s, m, h or d. */
export function isDevTokenTtl(ttl: string): boolean {
  return /^[1-9][0-9]*[smhd]$/.test(ttl);
}

/**
 * Signs a user token with a dev private key, as an identity provider would in production.
 * The `kid` header lets the verifier pick the key from a JWKS; it is the key's thumbprint when the JWK has none.
 */
export async function signDevToken(privateJwk: JWK, claims: DevTokenClaims): Promise<string> {
  if (!isDevTokenTtl(claims.ttl))
    throw new Error(`ttl "${claims.ttl}" is not a lifetime: use a number and s, m, h or d, such as 30s, 15m, 1h`);
  const key = await importJWK(privateJwk, 'EdDSA');
  return new SignJWT({ roles: [...claims.roles] })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: privateJwk.kid ?? (await calculateJwkThumbprint(privateJwk)) })
    .setSubject(claims.participant)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt()
    .setExpirationTime(claims.ttl)
    .sign(key);
}
