/**
 * The value at a dotted claim path (`realm_access.roles`): identity providers nest role lists in objects. A claim whose
 * own name contains dots (`https://example.com/roles`, Auth0's namespaced claims) is found first as a whole name.
 */
export function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
