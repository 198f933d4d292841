/** ACCESS=on (default) or off: whether the gateway enforces @access with per-role schemas. Anything else is refused. */
export function accessEnforcementFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.ACCESS ?? 'on';
  if (value !== 'on' && value !== 'off') throw new Error(`ACCESS must be "on" or "off", got "${value}"`);
  if (value === 'off') {
    console.warn(
      'ACCESS=off: the gateway does not check operations against per-role schemas (subgraphs still enforce @access and row scope)',
    );
  }
  return value === 'on';
}
