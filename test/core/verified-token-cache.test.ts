import { VerifiedTokenCache } from '../../core';

describe('VerifiedTokenCache (a verified token is checked once, never trusted past its exp)', () => {
  const now = 1_800_000_000_000;
  const expIn = (seconds: number) => now / 1000 + seconds;

  it('answers a cached token until its exp, then forgets it', () => {
    const cache = new VerifiedTokenCache<string>({ maxEntries: 10, maxAgeMs: 600_000 });
    cache.set('t', 'SUPA', expIn(30), now);
    expect(cache.get('t', now + 29_999)).toBe('SUPA');
    expect(cache.get('t', now + 30_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('re-verifies after maxAgeMs even when the token lives longer (a removed key stops working)', () => {
    const cache = new VerifiedTokenCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set('t', 'SUPA', expIn(3600), now);
    expect(cache.get('t', now + 59_999)).toBe('SUPA');
    expect(cache.get('t', now + 60_000)).toBeUndefined();
  });

  it('keeps nothing for a token that has already expired', () => {
    const cache = new VerifiedTokenCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set('t', 'SUPA', expIn(-1), now);
    expect(cache.get('t', now)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest entry when full', () => {
    const cache = new VerifiedTokenCache<string>({ maxEntries: 2, maxAgeMs: 60_000 });
    cache.set('a', 'A', expIn(30), now);
    cache.set('b', 'B', expIn(30), now);
    cache.set('c', 'C', expIn(30), now);
    expect([cache.get('a', now), cache.get('b', now), cache.get('c', now)]).toEqual([undefined, 'B', 'C']);
  });

  it('answers only the exact token string it verified', () => {
    const cache = new VerifiedTokenCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set('header.payload.signature', 'SUPA', expIn(30), now);
    expect(cache.get('header.payload.signaturf', now)).toBeUndefined();
  });
});
