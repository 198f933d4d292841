import { formatMicroUnits, parseMicroUnits, sumMicroUnits } from '../../core';

describe('exact decimals', () => {
  it('sums decimal strings exactly where floats would drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatMicroUnits(sumMicroUnits(['0.1', '0.2']))).toBe('0.3');
    expect(formatMicroUnits(sumMicroUnits([]))).toBe('0');
  });

  it('writes at least the places asked for, as a fixed-scale column shows them', () => {
    expect(formatMicroUnits(parseMicroUnits('1.23'), 3)).toBe('1.230');
    expect(formatMicroUnits(0n, 3)).toBe('0.000');
    expect(formatMicroUnits(parseMicroUnits('0.123456'), 3)).toBe('0.123456');
  });
});
