import { isIsoDate, isIsoMonth } from './dates';
import { tryParseYuan } from './money';
import { refusal, type Refusal } from './refusals';
import { isBlankText, textProblem, TEXT_PROBLEM_MESSAGES } from './text';

/**
 * Field checks shared by the command handlers. Commands arrive as JSON from outside, so every
 * check takes `unknown` and returns a refusal naming the field, or null.
 */

export const MAX_TEXT_LENGTH = 2000;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text the event log can hold: no NUL, no lone surrogate, no control character but tab and newline. */
export function checkStorableText(value: string, field: string): Refusal | null {
  const problem = textProblem(value);
  return problem ? refusal('INVALID_TEXT', field, { ...TEXT_PROBLEM_MESSAGES[problem] }) : null;
}

export function checkText(value: unknown, field: string): Refusal | null {
  if (typeof value !== 'string' || isBlankText(value)) return refusal('REQUIRED', field);
  if (value.length > MAX_TEXT_LENGTH) return refusal('INVALID_VALUE', field);
  return checkStorableText(value, field);
}

export function checkOptionalText(value: unknown, field: string): Refusal | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH) return refusal('INVALID_VALUE', field);
  return checkStorableText(value, field);
}

/** Trimmed text, or null for an absent or blank optional value. */
export function optionalText(value: unknown): string | null {
  return typeof value === 'string' && !isBlankText(value) ? value.trim() : null;
}

export function checkOneOf(value: unknown, allowed: readonly string[], field: string): Refusal | null {
  if (typeof value !== 'string' || !allowed.includes(value)) return refusal('INVALID_VALUE', field);
  return null;
}

export function checkBoolean(value: unknown, field: string): Refusal | null {
  return typeof value === 'boolean' ? null : refusal('INVALID_VALUE', field);
}

/** A business date that is well formed, not after today and not before `notBefore`. */
export function checkBusinessDate(
  value: unknown,
  field: string,
  today: string,
  notBefore: string | null,
  notBeforeLabel?: { zh: string; en: string },
): Refusal | null {
  if (!isIsoDate(value)) return refusal('INVALID_DATE', field);
  if (value > today) return refusal('DATE_IN_FUTURE', field);
  if (notBefore !== null && value < notBefore) {
    return refusal(
      'DATE_BEFORE_PREVIOUS_STAGE',
      field,
      notBeforeLabel && {
        zh: `日期不能早于${notBeforeLabel.zh}(${notBefore})`,
        en: `the date cannot be earlier than ${notBeforeLabel.en} (${notBefore})`,
      },
    );
  }
  return null;
}

export function checkMonth(value: unknown, field: string): Refusal | null {
  return isIsoMonth(value) ? null : refusal('INVALID_MONTH', field);
}

export function checkPositiveYuan(value: unknown, field: string): Refusal | null {
  const fen = tryParseYuan(value);
  if (fen === null) return refusal('INVALID_AMOUNT', field);
  if (fen <= 0n) return refusal('AMOUNT_NOT_POSITIVE', field);
  return null;
}
