import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { clockFromEnv, fixedClock, systemClock } from '../../core';

// Business time comes from one clock (core/clock.ts), passed in; nothing else in the product reads the machine's clock
// or PostgreSQL's, so the suite passes on any date and a demo can be pinned (DESIGN.md "Time").

const ROOT = join(__dirname, '..', '..');
const PRODUCT_FOLDERS = ['core', 'gateway', 'subgraphs'];

/** Reads of the machine's time in TypeScript, and of the database server's time in SQL. */
const MACHINE_CLOCK_READS: { what: string; pattern: RegExp; files: RegExp }[] = [
  { what: 'new Date() without an instant', pattern: /new Date\(\s*\)/, files: /\.ts$/ },
  { what: 'Date.now()', pattern: /\bDate\.now\(/, files: /\.ts$/ },
  {
    what: "PostgreSQL's own clock",
    pattern:
      /((?<![.\w])now\(\)|\bcurrent_date|current_timestamp|localtimestamp|clock_timestamp|statement_timestamp|transaction_timestamp)/i,
    files: /\.(ts|sql)$/,
  },
];

/** The one module allowed to read the machine's clock, and bookkeeping that is not a business decision. */
const ALLOWED: { file: string; line: RegExp; why: string }[] = [
  { file: 'core/clock.ts', line: /./, why: 'the clock itself' },
  { file: 'subgraphs/kit/migrate.ts', line: /applied_at timestamptz NOT NULL DEFAULT now\(\)/, why: 'when a migration ran, for operators' },
];

function productFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? productFiles(path) : [path];
  });
}

describe('business time', () => {
  it("is read from the clock module only: no product file reads the machine's or the database's clock", () => {
    const files = PRODUCT_FOLDERS.flatMap((folder) => productFiles(join(ROOT, folder)));
    expect(files.length).toBeGreaterThan(50);
    const reads: string[] = [];
    for (const path of files) {
      const file = relative(ROOT, path);
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          for (const read of MACHINE_CLOCK_READS) {
            if (!read.files.test(file) || !read.pattern.test(line)) continue;
            if (ALLOWED.some((allowed) => allowed.file === file && allowed.line.test(line))) continue;
            reads.push(`${file}:${index + 1}: ${read.what}: ${line.trim()}`);
          }
        });
    }
    expect(reads).toEqual([]);
  });

  it('finds a machine clock read where one is written (the check above can fail)', () => {
    const caught = (line: string) => MACHINE_CLOCK_READS.filter((read) => read.pattern.test(line)).map((read) => read.what);
    expect(caught('const now = new Date();')).toEqual(['new Date() without an instant']);
    expect(caught('if (Date.now() > deadline)')).toEqual(['Date.now()']);
    expect(caught('UPDATE t SET at = now()')).toEqual(["PostgreSQL's own clock"]);
    expect(caught('WHERE day = CURRENT_DATE')).toEqual(["PostgreSQL's own clock"]);
    expect(caught('const at = new Date(instant);')).toEqual([]);
  });
});

describe('the clock', () => {
  it("is the machine's clock unless CLOCK_AT pins it", () => {
    expect(clockFromEnv({})).toBe(systemClock);
    expect(clockFromEnv({ CLOCK_AT: '  ' })).toBe(systemClock);
  });

  it('stands still at the instant CLOCK_AT pins, for demos and support cases', () => {
    const clock = clockFromEnv({ CLOCK_AT: '2026-10-25T01:30:00+01:00' });
    expect(clock.now().toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('hands out a fresh Date each time, so a caller cannot move it', () => {
    const clock = fixedClock('2026-03-29T01:00:00Z');
    clock.now().setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('refuses a CLOCK_AT that is not an instant with an offset', () => {
    for (const value of ['2026-10-25', '2026-10-25T12:00:00', 'tomorrow']) {
      expect(() => clockFromEnv({ CLOCK_AT: value })).toThrow(
        `CLOCK_AT must be an ISO 8601 instant with an offset, such as 2026-10-25T12:00:00Z; got ${JSON.stringify(value)}`,
      );
    }
  });

  it('refuses CLOCK_AT while production keys are configured, naming them', () => {
    expect(() =>
      clockFromEnv({ CLOCK_AT: '2026-10-25T12:00:00Z', AUTH_JWKS_URL: 'https://idp.example/jwks', INTERNAL_CONTEXT_PRIVATE_JWK: '{}' }),
    ).toThrow(
      'CLOCK_AT pins business time for demos and support cases only; it is refused while production keys are configured (AUTH_JWKS_URL, INTERNAL_CONTEXT_PRIVATE_JWK)',
    );
  });
});
