import { computeMpanCheckDigit, explainInvalidMpanCore, makeMpanCore } from '../../core';

describe('MPAN core check digit (DOMAIN.md)', () => {
  it.each(['1030006718997', '1000000000012', '1200000000420', '1401234567896', '2000000123454', '2300000007770'])(
    'accepts the valid example %s',
    (mpan) => {
      expect(explainInvalidMpanCore(mpan)).toBeNull();
    },
  );

  it.each([
    ['1234567890123', 'MPAN core "1234567890123" fails its check digit: the first 12 digits give 6, the last digit is 3'],
    ['2000056535972', 'MPAN core "2000056535972" fails its check digit: the first 12 digits give 1, the last digit is 2'],
  ])('rejects the invalid public sample %s and says which digit it expected', (mpan, message) => {
    expect(explainInvalidMpanCore(mpan)).toBe(message);
  });

  it('rejects a wrong length and says how many digits it got', () => {
    expect(explainInvalidMpanCore('120000000042')).toBe('an MPAN core has 13 digits; "120000000042" has 12');
    expect(explainInvalidMpanCore('12000000004200')).toBe('an MPAN core has 13 digits; "12000000004200" has 14');
  });

  it('rejects characters other than digits and values that are not strings', () => {
    expect(explainInvalidMpanCore('12000000004 0')).toBe('an MPAN core has digits only; "12000000004 0" contains other characters');
    expect(explainInvalidMpanCore(1200000000420)).toBe('an MPAN core must be a string of 13 digits, got number 1200000000420');
  });

  it('computes the check digit as the weighted sum mod 11 mod 10', () => {
    expect(computeMpanCheckDigit('103000671899')).toBe(7);
    expect(makeMpanCore('12', 42)).toBe('1200000000420');
  });
});
