import fc from 'fast-check';
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckCharacter,
  creditCodeProblem,
  isValidCreditCode,
} from './credit-code';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it.each(['914403001922038216', '9144030071526726XG', '91330100716105852F', '91110000600037341L'])(
    'accepts the real code %s',
    (code) => {
      expect(isValidCreditCode(code)).toBe(true);
    },
  );

  it('names the problem with a code', () => {
    expect(creditCodeProblem('91440300192203821')).toBe('length');
    expect(creditCodeProblem('9144030019220382O6')).toBe('characters');
    expect(creditCodeProblem('91AB0300192203821X')).toBe('division_code');
    expect(creditCodeProblem('914403001922038217')).toBe('check_character');
  });

  it('computes a check character that always validates, and any one-character change is caught', () => {
    const char = fc.constantFrom(...CREDIT_CODE_ALPHABET.split(''));
    const digit = fc.constantFrom(...'0123456789'.split(''));
    fc.assert(
      fc.property(
        fc.tuple(
          char,
          char,
          fc.array(digit, { minLength: 6, maxLength: 6 }),
          fc.array(char, { minLength: 9, maxLength: 9 }),
        ),
        fc.nat(16),
        fc.nat(29),
        ([a, b, division, org], position, shift) => {
          const first17 = [a, b, ...division, ...org].join('');
          const code = first17 + creditCodeCheckCharacter(first17)!;
          expect(isValidCreditCode(code)).toBe(true);
          const original = CREDIT_CODE_ALPHABET.indexOf(code[position]);
          const changed = CREDIT_CODE_ALPHABET[(original + shift + 1) % 31];
          const mutated = code.slice(0, position) + changed + code.slice(position + 1);
          if (creditCodeProblem(mutated) !== 'division_code') expect(isValidCreditCode(mutated)).toBe(false);
        },
      ),
    );
  });
});
