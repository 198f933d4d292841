/**
 * Exact decimals, the one implementation: energy values travel as decimal strings (the `Decimal` scalar) and are
 * summed as integer micro-units in BigInt, never as floats. Six places is the most the `Decimal` scalar accepts.
 */
const MICRO_PER_UNIT = 1_000_000n;
const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d{1,6}))?$/;

/** Parses a decimal string with at most 6 decimal places into integer micro-units; anything else is refused. */
export function parseMicroUnits(value: string): bigint {
  const match = DECIMAL_PATTERN.exec(value);
  if (!match) throw new Error(`"${value}" is not a decimal with at most 6 decimal places`);
  const [, sign, whole, fraction = ''] = match;
  const micro = BigInt(whole) * MICRO_PER_UNIT + BigInt(fraction.padEnd(6, '0'));
  return sign === '-' ? -micro : micro;
}

/**
 * Writes integer micro-units as an exact decimal string: the shortest form (1234500n → "1.2345", 0n → "0"), or with at
 * least `minimumPlaces` decimals (1230000n, 3 → "1.230"), as a fixed-scale column would show it.
 */
export function formatMicroUnits(micro: bigint, minimumPlaces = 0): string {
  const negative = micro < 0n;
  const magnitude = negative ? -micro : micro;
  const whole = magnitude / MICRO_PER_UNIT;
  const fraction = (magnitude % MICRO_PER_UNIT).toString().padStart(6, '0').replace(/0+$/, '').padEnd(minimumPlaces, '0');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The exact sum of decimal strings, in micro-units. */
export function sumMicroUnits(values: Iterable<string>): bigint {
  let total = 0n;
  for (const value of values) total += parseMicroUnits(value);
  return total;
}
