import { chmod, copyFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDevKeys } from './dev-keys';

/** Where each service's keys go: every service mounts only its own directory (docker-compose volumes). */
export interface KeyDirs {
  /** Generated key pairs, kept between runs: only the one-shot keys service mounts it. */
  source: string;
  /** The gateway: the context signing key and the public keys of user tokens. */
  gateway: string;
  /** Every subgraph: the gateway's public context key and the question key pair. Never a gateway private key. */
  subgraphs: string;
  /** The dev profile's gateway-dev only: the private key that mints demo tokens for `/dev/tokens`. */
  devTokens: string;
}

/** The files written into each directory, by the name the services' *_FILE variables point at. */
export const KEY_FILES = {
  gateway: ['internal-context.private.jwk.json', 'token-signing.jwks.json'],
  subgraphs: ['internal-context.public.jwk.json', 'subgraph-question.private.jwk.json'],
  devTokens: ['token-signing.private.jwk.json'],
} as const;

/**
 * Generates the dev key pairs once (in `source`) and hands each service only the keys it needs (issue 11, item 7):
 * subgraphs get no key that could pass as the gateway, the gateway no key that mints user tokens.
 */
export async function splitDevKeys(dirs: KeyDirs): Promise<void> {
  const keys = await ensureDevKeys(dirs.source);
  await place(dirs.gateway, 'internal-context.private.jwk.json', keys.internalContext.privateJwkPath);
  await place(dirs.gateway, 'token-signing.jwks.json', keys.tokenSigning.jwksPath, 0o644);
  await place(dirs.subgraphs, 'internal-context.public.jwk.json', keys.internalContext.publicJwkPath, 0o644);
  await place(dirs.subgraphs, 'subgraph-question.private.jwk.json', keys.subgraphQuestion.privateJwkPath);
  await place(dirs.devTokens, 'token-signing.private.jwk.json', keys.tokenSigning.privateJwkPath);
}

/** Copies one key file into a service's directory, replacing it whole (rename), with the mode given. */
async function place(dir: string, name: string, from: string, mode = 0o600): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${name}.tmp`);
  await copyFile(from, tmp);
  await chmod(tmp, mode);
  await rename(tmp, join(dir, name));
}
