// Rows as PostgreSQL COPY text format (one line per row, fields separated by tabs), the cheapest way to hand millions of
// rows to the server: no parameters to bind, no JSON to parse.

/** Characters COPY's text format gives a meaning to, which a field must escape. */
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

// Interval data repeats the same few thousand instants (every MPAN has the same period starts): format each once.
const isoTexts = new Map<number, string>();
const MAX_CACHED_INSTANTS = 100_000;

function isoText(date: Date): string {
  const ms = date.getTime();
  let text = isoTexts.get(ms);
  if (text === undefined) {
    if (isoTexts.size >= MAX_CACHED_INSTANTS) isoTexts.clear();
    text = date.toISOString();
    isoTexts.set(ms, text);
  }
  return text;
}

/** One value as a COPY text field: `\N` for null, ISO 8601 UTC for a Date, t/f for a boolean, an object as JSON (jsonb). */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return isoText(value);
  // PostgreSQL arrays have their own text syntax; nothing copied needs one yet.
  if (Array.isArray(value)) throw new Error('copyField: arrays are not supported; copy array columns another way');
  return copyField(JSON.stringify(value));
}

/** Rows as COPY text lines, the values of `keys` in that order; the chunk ends with a newline. */
export function copyLines(rows: readonly object[], keys: readonly string[]): string {
  let text = '';
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    let line = copyField(record[keys[0]]);
    for (let k = 1; k < keys.length; k++) line += '\t' + copyField(record[keys[k]]);
    text += line + '\n';
  }
  return text;
}
