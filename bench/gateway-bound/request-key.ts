import { createHash } from 'node:crypto';

/**
 * The key a canned subgraph files an answer under: the request's query with its whitespace collapsed, its operation
 * name and its variables with object keys sorted, hashed. Two gateways that send the same operation with the same
 * variables, spelled with other spacing or key order, hit the same recorded answer.
 */
export function subgraphRequestKey(body: string): string {
  let parsed: { query?: unknown; operationName?: unknown; variables?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return `raw:${createHash('sha256').update(body).digest('hex')}`;
  }
  const query = typeof parsed.query === 'string' ? parsed.query.replace(/\s+/g, ' ').trim() : '';
  const operationName = typeof parsed.operationName === 'string' ? parsed.operationName : '';
  return createHash('sha256')
    .update(query)
    .update('\u0000')
    .update(operationName)
    .update('\u0000')
    .update(stableJson(parsed.variables ?? null))
    .digest('hex');
}

/** JSON with every object's keys sorted, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
