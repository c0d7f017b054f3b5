import { applyDecorators } from '@nestjs/common';
import { ValidateBy, ValidateIf } from 'class-validator';

/**
 * A field that belongs to some values of a discriminator (`to`, `kind`): validated when present or
 * when `required` for the current value, and refused by name when sent with any other value, so a
 * stray field is never silently dropped.
 */
export function OnlyWhen(
  discriminator: string,
  values: readonly string[],
  options: { required?: boolean } = {},
): PropertyDecorator {
  return applyDecorators(
    ValidateIf(
      (o: Record<string, unknown>, v: unknown) =>
        v !== undefined || (options.required === true && values.includes(String(o[discriminator]))),
    ),
    ValidateBy({
      name: 'belongsTo',
      validator: {
        validate: (_: unknown, args) =>
          values.includes(String((args?.object as Record<string, unknown>)[discriminator])),
        defaultMessage: () =>
          `$property is only accepted when ${discriminator} is ${values.map((v) => `'${v}'`).join(' or ')}`,
      },
    }),
  );
}
