import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { REGION_CODE_PATTERN } from '@app/domain';

/**
 * What the OpenAPI document says beyond the DTOs: the problem+json answers each route can give, and
 * the formats of ids, headers, quarters and months, so that generated clients and the schema fuzzer
 * (test/e2e/schema-fuzz.e2e.ts) read what the API really does.
 */

export class FieldProblemView {
  @ApiProperty({ example: 'plannedInvestment' }) field!: string;
  @ApiProperty({ example: 'decimal' }) rule!: string;
  @ApiProperty({ example: 'plannedInvestment must be a decimal string of yuan' }) message!: string;
}

export class RefusalMessageView {
  @ApiProperty() zh!: string;
  @ApiProperty() en!: string;
}

/** RFC 9457 problem details as every error leaves (apps/api/src/common/problem-details.ts). */
export class ProblemView {
  @ApiProperty({ example: 'https://lifecycle.example/problems/validation' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400, minimum: 400, maximum: 599 }) status!: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional({ example: '/api/projects' }) instance?: string;
  @ApiPropertyOptional({ description: "a domain refusal's code" }) code?: string;
  @ApiPropertyOptional({ type: RefusalMessageView, description: "a domain refusal's message" })
  message?: RefusalMessageView;
  @ApiPropertyOptional({ type: [FieldProblemView], description: 'each field and the rule it broke' })
  errors?: FieldProblemView[];
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'the request is malformed or a field breaks its rule (errors names each)',
  401: 'no bearer token, or one that is invalid or expired',
  403: 'the caller may not do this, or not in this region',
  404: 'no such resource, or none the caller may read',
  405: 'the method is not allowed on this path',
  409: "the resource's state refuses it",
  412: 'If-Match names a version that is no longer current',
  413: 'the body is too large',
  415: 'the body is not application/json',
  422: "the request's values are refused, or its Idempotency-Key was used for a different request",
  428: 'If-Match is required',
  503: 'a part of the system is away for now; try again after Retry-After',
};

/** The problem+json answers a route (or every route of a controller) can give. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemView),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'a problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemView) } } },
      }),
    ),
  );
}

/** What any authenticated route can answer besides its own success. */
export const AUTHENTICATED_PROBLEMS = [400, 401, 403, 503] as const;
/** What a JSON body can add: too large, not JSON, values refused. */
export const BODY_PROBLEMS = [413, 415, 422] as const;
/** Writes under If-Match. */
export const PRECONDITION_PROBLEMS = [412, 428] as const;

export const UUID_SCHEMA = { type: 'string', format: 'uuid' } as const;
export const QUARTER_PATTERN = '^\\d{4}Q[1-4]$';
export const MONTH_PATTERN = '^\\d{4}-\\d{2}$';
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
export const REGION_PATTERN = REGION_CODE_PATTERN.source;
/** An ETag this API gives out, as If-Match sends it back. */
export const IF_MATCH_PATTERN = '^"v\\d+"$';
/** 1 to 200 visible ASCII characters (apps/api/src/common/idempotency.ts). */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7e]{1,200}$';

/** A path parameter that is a UUID (anything else is a 400 or 404, never a 5xx). */
export function ApiUuidParam(name: string, description?: string): MethodDecorator {
  return ApiParam({ name, description, schema: UUID_SCHEMA });
}

/** A query parameter that is a UUID. */
export function ApiUuidQuery(name: string, description?: string): MethodDecorator {
  return ApiQuery({ name, required: false, description, schema: UUID_SCHEMA });
}

/** The If-Match header of a write to a versioned resource. */
export function ApiIfMatch(description: string): MethodDecorator {
  return ApiHeader({
    name: 'If-Match',
    required: true,
    description,
    schema: { type: 'string', pattern: IF_MATCH_PATTERN, example: '"v3"' },
  });
}

/** The Idempotency-Key header every write carries. */
export function ApiIdempotencyKey(): MethodDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'a key unique to this write; sending it again returns the first response',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN, example: 'lead-2025-0001' },
  });
}
