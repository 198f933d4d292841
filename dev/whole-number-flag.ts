/** A command-line flag's whole number ≥ `min`, `fallback` when absent; anything else fails with the command's usage. */
export function wholeNumberFlag(name: string, value: string | undefined, fallback: number, min: number, usage: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min)
    throw new Error(`--${name} must be ${min === 1 ? 'a positive whole number' : `a whole number ≥ ${min}`}, got "${value}"\n${usage}`);
  return parsed;
}
