import { createHash } from 'node:crypto';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { ErrorCode } from '../core';

/** Apollo Server keeps persisted queries under this prefix in the cache it is given. */
const APOLLO_APQ_PREFIX = 'apq:';

/** The `persistedQuery` extension of automatic persisted queries (APQ, version 1). */
export interface PersistedQueryExtension {
  version?: number;
  sha256Hash?: string;
}

export type PersistedQueryOutcome =
  | { kind: 'query'; query: string }
  | { kind: 'refused'; status: number; code: ErrorCode; message: string }
  /** Nothing to resolve here: Apollo Server answers (no query at all, or an unknown hash: PERSISTED_QUERY_NOT_FOUND). */
  | { kind: 'none' };

/**
 * Automatic persisted queries, off unless PERSISTED_QUERIES=on. When on, a client may send only the SHA-256 of a query
 * it sent in full before; the texts are kept in this process (at most `maxEntries`, least recently used go first).
 * Apollo Server registers a text only after it passed the limits and validation, and the limits are checked again on
 * every use (they depend on variables and on the acting role). Off, a request with the extension is answered
 * PERSISTED_QUERY_NOT_SUPPORTED by Apollo Server, so APQ clients fall back to sending the text.
 */
export class PersistedQueries {
  readonly cache = new InMemoryLRUCache<string>({ max: 1000 });

  /** The query text a request runs: its own (checked against its hash) or the registered one. */
  async resolve(query: string | undefined, extension: PersistedQueryExtension | undefined): Promise<PersistedQueryOutcome> {
    if (!extension) return query === undefined ? { kind: 'none' } : { kind: 'query', query };
    const hash = extension.sha256Hash;
    if (query === undefined) {
      const registered = typeof hash === 'string' ? await this.cache.get(APOLLO_APQ_PREFIX + hash) : undefined;
      return registered === undefined ? { kind: 'none' } : { kind: 'query', query: registered };
    }
    if (typeof hash !== 'string' || createHash('sha256').update(query).digest('hex') !== hash) return hashMismatch();
    return { kind: 'query', query };
  }
}

function hashMismatch(): PersistedQueryOutcome {
  return {
    kind: 'refused',
    status: 400,
    code: ErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
    message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query text',
  };
}
