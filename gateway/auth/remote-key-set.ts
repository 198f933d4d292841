import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput, type KeyLike } from 'jose';

/** What /readyz says about the user-token keys. */
export interface KeySetState {
  /** `loaded`: keys in hand and the last fetch worked; `stale`: keys in hand, the last fetch failed; `unavailable`: no keys. */
  state: 'loaded' | 'stale' | 'unavailable';
  source: string;
  keys: number;
  /** Machine time of the last successful fetch (ISO 8601), when there was one. */
  fetchedAt?: string;
  /** Why the last fetch failed, when it did. */
  error?: string;
}

/** Thrown when a token needs a key that cannot be had because the key endpoint is down (503, not the caller's fault). */
export class KeysUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeysUnavailableError';
  }
}

type KeyLookup = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<KeyLike>;

export interface KeySet {
  /** jose's key lookup: finds the key for a token's header. */
  lookup: KeyLookup;
  state(): Promise<KeySetState>;
}

/** A fixed key set (AUTH_JWKS_FILE or the dev pair): always loaded. */
export function staticKeySet(jwks: JSONWebKeySet, source: string): KeySet {
  const local = createLocalJWKSet(jwks);
  return { lookup: (header, token) => local(header, token), state: async () => ({ state: 'loaded', source, keys: jwks.keys.length }) };
}

export interface RemoteKeySetOptions {
  /** Refetch a key set older than this before using it (keys removed at the provider stop working within it). */
  maxAgeMs: number;
  /** At most one refetch per this interval for an unknown `kid`, so bad tokens cannot hammer the provider. */
  cooldownMs: number;
  timeoutMs: number;
  /** Machine time in ms (protocol time, not business time). */
  machineNow: () => number;
}

/**
 * AUTH_JWKS_URL, fetched by us rather than by jose's remote set because jose drops every key when a refetch fails.
 * The last good key set keeps verifying tokens while the endpoint is down (a provider outage must not log everyone
 * out); only a token whose `kid` is not in it, while the endpoint cannot be reached, is answered with 503.
 */
export function remoteKeySet(url: URL, options: RemoteKeySetOptions): KeySet {
  let current: { lookup: KeyLookup; kids: Set<string | undefined>; count: number; fetchedAt: number } | undefined;
  let lastAttempt = -Infinity;
  let lastError: string | undefined;
  let pending: Promise<void> | undefined;

  const fetchKeys = () =>
    (pending ??= (async () => {
      lastAttempt = options.machineNow();
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), headers: { accept: 'application/json' } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const jwks = (await response.json()) as JSONWebKeySet;
        if (!Array.isArray(jwks?.keys)) throw new Error('the answer is not a JWKS ({"keys": [...]})');
        current = {
          lookup: createLocalJWKSet(jwks),
          kids: new Set(jwks.keys.map((key) => key.kid)),
          count: jwks.keys.length,
          fetchedAt: options.machineNow(),
        };
        lastError = undefined;
      } catch (error) {
        lastError = (error as Error).message;
      } finally {
        pending = undefined;
      }
    })());

  const unavailable = (why: string) =>
    new KeysUnavailableError(`the identity provider's keys cannot be fetched (${why}); try again shortly`);

  return {
    async lookup(header, token) {
      const age = current ? options.machineNow() - current.fetchedAt : Infinity;
      const coolingDown = options.machineNow() - lastAttempt < options.cooldownMs;
      if (!current || (age > options.maxAgeMs && !coolingDown)) await fetchKeys();
      else if (!current.kids.has(header.kid) && !coolingDown) await fetchKeys();
      if (!current) throw unavailable(lastError ?? 'never fetched');
      // A kid we do not know while the endpoint is failing may be a new key we cannot see yet: not the caller's fault.
      if (lastError !== undefined && !current.kids.has(header.kid)) throw unavailable(lastError);
      return current.lookup(header, token);
    },
    async state() {
      if (!current && options.machineNow() - lastAttempt >= options.cooldownMs) await fetchKeys();
      const base = { source: `AUTH_JWKS_URL ${url.href}`, keys: current?.count ?? 0 };
      const fetchedAt = current ? { fetchedAt: new Date(current.fetchedAt).toISOString() } : {};
      const error = lastError !== undefined ? { error: lastError } : {};
      return { state: !current ? 'unavailable' : lastError !== undefined ? 'stale' : 'loaded', ...base, ...fetchedAt, ...error };
    },
  };
}
