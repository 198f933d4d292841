/** MPAN core rules (DOMAIN.md): 13 digits = distributor id (2) + identifier (10) + check digit (1). */

const CHECK_DIGIT_WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/** Computes the check digit for the first 12 digits of an MPAN core: sum of digit × weight, mod 11, mod 10. */
export function computeMpanCheckDigit(first12Digits: string): number {
  let sum = 0;
  for (let i = 0; i < CHECK_DIGIT_WEIGHTS.length; i++) sum += Number(first12Digits[i]) * CHECK_DIGIT_WEIGHTS[i];
  return (sum % 11) % 10;
}

/** Returns why `value` is not a valid MPAN core, or null when it is one. */
export function explainInvalidMpanCore(value: unknown): string | null {
  if (typeof value !== 'string') return `an MPAN core must be a string of 13 digits, got ${typeof value} ${JSON.stringify(value)}`;
  if (!/^\d*$/.test(value)) return `an MPAN core has digits only; "${value}" contains other characters`;
  if (value.length !== 13) return `an MPAN core has 13 digits; "${value}" has ${value.length}`;
  const expected = computeMpanCheckDigit(value.slice(0, 12));
  const actual = Number(value[12]);
  if (actual !== expected) {
    return `MPAN core "${value}" fails its check digit: the first 12 digits give ${expected}, the last digit is ${actual}`;
  }
  return null;
}

/** Makes a valid MPAN core from a distributor id (2 digits) and a 10-digit identifier by appending the check digit. */
export function makeMpanCore(distributorId: string, identifier: number): string {
  const first12 = distributorId.padStart(2, '0') + String(identifier).padStart(10, '0');
  return first12 + computeMpanCheckDigit(first12);
}
