/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters —
 * 1 registration authority, 1 entity category, 6 administrative division code,
 * 9 organisation code, 1 check character. The alphabet leaves out I, O, Z, S and V.
 */

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights of positions 1–17: 3^(i-1) mod 31, as tabulated in GB 32100-2015. */
export const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = 'length' | 'characters' | 'division_code' | 'check_character';

/** The check character for the first 17 characters, or null when they are not valid. */
export function creditCodeCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]);
    if (value < 0) return null;
    sum += value * CREDIT_CODE_WEIGHTS[i];
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_ALPHABET[check];
}

/** Why a code is not a valid credit code, or null when it is. Upper case is required. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length';
  for (const ch of code) if (!CREDIT_CODE_ALPHABET.includes(ch)) return 'characters';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'division_code';
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) return 'check_character';
  return null;
}

export function isValidCreditCode(code: unknown): code is string {
  return typeof code === 'string' && creditCodeProblem(code) === null;
}
