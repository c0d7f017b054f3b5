import { applyDecorators } from '@nestjs/common';
import {
  IsISO8601,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { creditCodeProblem } from '@app/domain';

/** Yuan as an exact decimal string: digits, at most two decimals. */
export const YUAN_PATTERN = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;
const SIGNED_YUAN_PATTERN = /^-?(0|[1-9]\d{0,15})(\.\d{1,2})?$/;

/** A business date, YYYY-MM-DD, that exists in the calendar. */
export function IsBusinessDate(): PropertyDecorator {
  const message = '$property must be a date YYYY-MM-DD';
  return applyDecorators(
    IsISO8601({ strict: true }, { message }),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message }),
  );
}

/** A month, YYYY-MM. */
export function IsMonth(): PropertyDecorator {
  return Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '$property must be a month YYYY-MM' });
}

/** Yuan as an exact decimal string (never a JSON number: binary floating point is not money). */
export function IsYuan(options: { signed?: boolean } = {}): PropertyDecorator {
  return Matches(options.signed ? SIGNED_YUAN_PATTERN : YUAN_PATTERN, {
    message: `$property must be yuan as a${options.signed ? ' signed' : ''} decimal string with at most two decimals, e.g. "150000000.00"`,
  });
}

/** Non-blank text of bounded length. */
export function IsText(maxLength: number): PropertyDecorator {
  return applyDecorators(
    IsString(),
    IsNotEmpty(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(maxLength),
  );
}

const CREDIT_CODE_MESSAGES = {
  length: 'must be 18 characters',
  characters: 'may use only digits and the capitals of GB 32100 (no I, O, Z, S, V)',
  division_code: 'must carry a 6-digit division code in characters 3–8',
  check_character: 'fails its check character (GB 32100-2015)',
} as const;

/** 统一社会信用代码, checked as GB 32100-2015 defines it, including the check character. */
export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCreditCode',
      validator: {
        validate: (value) => typeof value === 'string' && creditCodeProblem(value) === null,
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          const problem = typeof value === 'string' ? creditCodeProblem(value) : 'length';
          return `$property ${problem ? CREDIT_CODE_MESSAGES[problem] : 'is not valid'}`;
        },
      },
    },
    options,
  );
}
