import {
  applyDecorators,
  HttpStatus,
  Injectable,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import {
  IsISO8601,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import {
  creditCodeProblem,
  isBlankText,
  isRegionCode,
  monthProblem,
  quarterProblem,
  shanghaiDate,
  textProblem,
  TEXT_PROBLEM_MESSAGES,
  yearProblem,
  type PeriodProblem,
} from '@app/domain';
import { PROBLEM_BASE, ProblemException } from './problem-details';

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

/** A 6-digit administrative division code (GB/T 2260), as the domain's isRegionCode decides. */
export function IsRegionCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      // The rule clients already read for a region code (it was a pattern match).
      name: 'matches',
      validator: {
        validate: (value: unknown) => isRegionCode(value),
        defaultMessage: (args) =>
          options?.each
            ? `each of ${args?.property} must be a 6-digit administrative division code`
            : `${args?.property} must be a 6-digit administrative division code`,
      },
    },
    options,
  );
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

/**
 * The domain's rule for text the log can hold, and for blank names (invisible characters only), for
 * values that never reach a command (queries). In commands, the domain itself refuses them (422).
 */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'storableText',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || (textProblem(value) === null && !isBlankText(value)),
        defaultMessage: (args) => {
          const value = args?.value;
          if (typeof value === 'string' && textProblem(value) === null)
            return `${args?.property} must not be blank`;
          const problem = typeof value === 'string' ? textProblem(value) : null;
          return `${args?.property}: ${problem ? TEXT_PROBLEM_MESSAGES[problem].en : 'invalid text'}`;
        },
      },
    },
    options,
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

/** A 400 naming one request parameter (path or query) and the rule it broke. */
export function parameterProblem(field: string, rule: string, message: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}validation`,
    title: 'The request is not valid',
    status: HttpStatus.BAD_REQUEST,
    detail: `${field}: ${message}`,
    errors: [{ field, rule, message }],
  });
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A path parameter that must be a UUID: anything else is a 400 naming the parameter, before it can
 * reach a `::uuid` cast in SQL (which PostgreSQL refuses with an error, not an empty result).
 */
@Injectable()
export class UuidParam implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'id';
    if (typeof value !== 'string' || !UUID_PATTERN.test(value)) {
      throw parameterProblem(field, 'isUuid', `${field} must be a UUID`);
    }
    return value.toLowerCase();
  }
}

/** 堵点 ids: given by the caller or made up from the request, as RaiseBlockerDto describes. */
export const BLOCKER_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/** A path parameter that must match a pattern; anything else is a 400 naming the parameter. */
export function PatternParam(pattern: RegExp, description: string): PipeTransform<unknown, string> {
  return {
    transform(value: unknown, metadata: ArgumentMetadata): string {
      const field = metadata.data ?? 'id';
      if (typeof value !== 'string' || !pattern.test(value)) {
        throw parameterProblem(field, 'matches', `${field} must be ${description}`);
      }
      return value;
    },
  };
}

/** Today in Asia/Shanghai, where the engine's years, months and quarters are counted. */
const shanghaiToday = () => shanghaiDate(new Date().toISOString());

/** A calendar period (year, month, quarter) within the bounds the domain sets (calendar-bounds). */
function IsPeriod(name: string, problem: (value: unknown, today: string) => PeriodProblem | null) {
  return ValidateBy({
    name,
    validator: {
      validate: (value) => problem(value, shanghaiToday()) === null,
      defaultMessage: (args) =>
        `$property ${problem(args?.value, shanghaiToday())?.message ?? 'is not valid'}`,
    },
  });
}

/** A report's year: a whole number from 2000 to next year. */
export function IsReportYear(): PropertyDecorator {
  return IsPeriod('isReportYear', yearProblem);
}

/** A report's month, YYYY-MM, from 2000-01 to the end of next year. */
export function IsReportMonth(): PropertyDecorator {
  return IsPeriod('isReportMonth', monthProblem);
}

/**
 * A review's quarter, e.g. 2025Q3, from 2000Q1. Its ceiling is the stricter "has ended", which the
 * review service answers as 422 quarter-not-ended (and a read of one finds nothing stored: 404).
 */
export function reviewQuarterProblem(value: unknown, today: string): PeriodProblem | null {
  const problem = quarterProblem(value, today);
  return problem?.rule === 'latest' ? null : problem;
}

export function IsReportQuarter(): PropertyDecorator {
  return IsPeriod('isReportQuarter', reviewQuarterProblem);
}

/**
 * A path parameter that must be a row number (a positive whole number a JavaScript number holds
 * exactly); past that it is a 400 naming the parameter, never a failed bigint cast.
 */
@Injectable()
export class RowIdParam implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    const field = metadata.data ?? 'id';
    // The global pipe may already have turned the path segment into a number.
    const text = typeof value === 'number' ? String(value) : value;
    const n = typeof text === 'string' && /^[1-9]\d{0,15}$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n)) {
      throw parameterProblem(
        field,
        'isRowId',
        `${field} must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`,
      );
    }
    return n;
  }
}
