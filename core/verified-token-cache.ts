import { machineTimeMs } from './clock';

/**
 * Remembers what a signed token was verified to say, so the same token string is checked once, not on every request
 * (the gateway sees a caller's token on each request; a subgraph sees one internal context on every call of a plan).
 *
 * Safe because verification is a pure function of the token string and the keys, except for time: an entry never
 * outlives the token's own `exp` (no clock tolerance here, so a cached answer is never more lenient than a fresh one)
 * nor `maxAgeMs`, which bounds how long a key removed from the trusted set keeps working. Only successes are kept.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(private readonly options: { maxEntries: number; maxAgeMs: number }) {}

  get(token: string, nowMs = machineTimeMs()): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  /** `expSeconds` is the token's `exp` claim. */
  set(token: string, value: T, expSeconds: number, nowMs = machineTimeMs()): void {
    const expiresAtMs = Math.min(expSeconds * 1000, nowMs + this.options.maxAgeMs);
    if (expiresAtMs <= nowMs) return;
    // Map keeps insertion order: when full, the oldest entry goes first.
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { value, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
