import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, type KeyLike } from 'jose';

/**
 * The local development key pairs: one signs user tokens, one the gateway → subgraph internal context, one the
 * subgraphs' questions to each other.
 */
export interface DevKeys {
  /** `<dataDir>/keys`, mode 0700. */
  dir: string;
  tokenSigning: {
    privateJwkPath: string;
    jwksPath: string;
    /** Private JWK with `kid`, `alg: 'EdDSA'`, `use: 'sig'`: what `signDevToken` takes. */
    privateJwk: JWK;
    /** The public half as a JWKS: what `createTokenVerifier` takes. */
    jwks: JSONWebKeySet;
    kid: string;
    privateKey: KeyLike;
    publicKey: KeyLike;
  };
  internalContext: {
    privateJwkPath: string;
    publicJwkPath: string;
    privateKey: KeyLike;
    publicKey: KeyLike;
  };
  subgraphQuestion: {
    privateJwkPath: string;
    privateKey: KeyLike;
    publicKey: KeyLike;
  };
}

interface LoadedPair {
  privateJwk: JWK;
  publicJwk: JWK;
  privateKey: KeyLike;
  publicKey: KeyLike;
}

/**
 * Returns the dev key pairs in `<dataDir>/keys/`, generating each Ed25519 pair the first time and reusing it ever
 * after. Safe when several processes start at once: the first private key written wins and everyone loads that one.
 */
export async function ensureDevKeys(dataDir: string): Promise<DevKeys> {
  // The data dir keeps the default mode: as root, embedded PostgreSQL's `postgres` user must traverse it.
  await mkdir(dataDir, { recursive: true });
  const dir = join(dataDir, 'keys');
  if (await mkdir(dir, { recursive: true, mode: 0o700 })) await chmod(dir, 0o700);

  const tokenPaths = { privateJwkPath: join(dir, 'token-signing.private.jwk.json'), jwksPath: join(dir, 'token-signing.jwks.json') };
  const token = await ensurePair(tokenPaths.privateJwkPath);
  const jwks: JSONWebKeySet = { keys: [token.publicJwk] };
  await ensurePublicFile(tokenPaths.jwksPath, jwks, token.publicJwk, tokenPaths.privateJwkPath);

  const contextPaths = {
    privateJwkPath: join(dir, 'internal-context.private.jwk.json'),
    publicJwkPath: join(dir, 'internal-context.public.jwk.json'),
  };
  const context = await ensurePair(contextPaths.privateJwkPath);
  await ensurePublicFile(contextPaths.publicJwkPath, context.publicJwk, context.publicJwk, contextPaths.privateJwkPath);

  const questionPath = join(dir, 'subgraph-question.private.jwk.json');
  const question = await ensurePair(questionPath);

  return {
    dir,
    tokenSigning: {
      ...tokenPaths,
      privateJwk: token.privateJwk,
      jwks,
      kid: token.publicJwk.kid as string,
      privateKey: token.privateKey,
      publicKey: token.publicKey,
    },
    internalContext: { ...contextPaths, privateKey: context.privateKey, publicKey: context.publicKey },
    subgraphQuestion: { privateJwkPath: questionPath, privateKey: question.privateKey, publicKey: question.publicKey },
  };
}

/** Loads the private JWK at `path`, first generating it when absent; the public half is always derived from it, so the two cannot disagree. */
async function ensurePair(path: string): Promise<LoadedPair> {
  let text = await readIfPresent(path);
  if (text === undefined) {
    await writeNewFile(path, `${JSON.stringify(await generatePrivateJwk(), null, 2)}\n`);
    text = await readFile(path, 'utf8');
  }
  try {
    const privateJwk = JSON.parse(text) as JWK;
    if (privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519' || typeof privateJwk.d !== 'string')
      throw new Error('not an Ed25519 private JWK');
    const { d: _d, ...publicJwk } = privateJwk;
    return {
      privateJwk,
      publicJwk,
      privateKey: (await importJWK(privateJwk, 'EdDSA')) as KeyLike,
      publicKey: (await importJWK(publicJwk, 'EdDSA')) as KeyLike,
    };
  } catch (error) {
    throw new Error(`${path} is not a usable Ed25519 private JWK (${(error as Error).message}); delete it to generate a new dev key`, {
      cause: error,
    });
  }
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'EdDSA', use: 'sig' };
}

/** Writes the public file when missing; when present it must hold the private key's public half, or tokens would fail obscurely. */
async function ensurePublicFile(path: string, content: unknown, publicJwk: JWK, privatePath: string): Promise<void> {
  const text = await readIfPresent(path);
  if (text === undefined) {
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o644 });
    await rename(tmp, path);
    return;
  }
  if (storedPublicX(text) !== publicJwk.x) {
    throw new Error(`${path} does not hold the public key of ${privatePath}; delete both files to generate a new dev key pair`);
  }
}

/** The `x` of the single key in a public JWK or JWKS file, or undefined when the file holds anything else. */
function storedPublicX(text: string): unknown {
  try {
    const stored = JSON.parse(text) as { x?: unknown; keys?: Array<{ x?: unknown }> };
    const keys = stored.keys ?? [stored];
    return keys.length === 1 ? keys[0].x : undefined;
  } catch {
    return undefined;
  }
}

/** Creates `path` with `content` (mode 0600) unless it exists; link() never overwrites, so a concurrent writer cannot swap keys. */
async function writeNewFile(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  try {
    await link(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp);
  }
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
