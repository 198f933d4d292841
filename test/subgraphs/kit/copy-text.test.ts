import { copyField, copyLines } from '../../../subgraphs/kit/copy-text';

describe('COPY text format', () => {
  it('writes null as \\N, booleans as t/f, instants as ISO 8601 UTC and objects as JSON', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(true)).toBe('t');
    expect(copyField(false)).toBe('f');
    expect(copyField(30)).toBe('30');
    expect(copyField(new Date('2026-03-29T00:30:00+01:00'))).toBe('2026-03-28T23:30:00.000Z');
    expect(copyField({ line1: 'a' })).toBe('{"line1":"a"}');
  });

  it('escapes the characters COPY gives a meaning to, so text arrives as sent', () => {
    expect(copyField('plain 0.125')).toBe('plain 0.125');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // The two characters backslash and N are data, not a null.
    expect(copyField('\\N')).toBe('\\\\N');
  });

  it('refuses arrays, whose PostgreSQL text syntax it does not write', () => {
    expect(() => copyField(['a'])).toThrow(/arrays are not supported/);
  });

  it('writes one line per row with the fields of the given keys in order', () => {
    const rows = [
      { b: 'x', a: 1, c: null },
      { b: 'y\tz', a: 2, c: false },
    ];
    expect(copyLines(rows, ['a', 'b', 'c'])).toBe('1\tx\t\\N\n2\ty\\tz\tf\n');
  });
});
