import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString } from 'class-validator';
import type { Role } from '@app/domain';
import { MAX_SUBJECT_LENGTH, USER_ROLES } from '../auth/token-rules';
import { IsRegionCode, IsText } from '../common/validators';
import { REGION_PATTERN } from '../common/openapi';

/** Who the development sign-in makes the caller: the claims a single sign-on would give. */
export class DevTokenDto {
  @ApiProperty({
    example: 'officer-0001',
    description: 'the person id (token subject)',
    maxLength: MAX_SUBJECT_LENGTH,
  })
  @IsString()
  sub!: string;

  @ApiProperty({ enum: USER_ROLES, example: 'officer' })
  @IsIn(USER_ROLES)
  role!: Role;

  @ApiProperty({
    type: [String],
    example: ['420500'],
    description: '6-digit division codes the person acts in',
    items: { type: 'string', pattern: REGION_PATTERN },
    maxItems: 50,
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsRegionCode({ each: true })
  regions!: string[];
}

export class DevTokenView {
  @ApiProperty({ description: 'a bearer token signed with the API’s JWT secret' }) token!: string;
  @ApiProperty({ example: '2025-05-20T12:00:00.000Z', description: 'when it expires' }) expiresAt!: string;
}

export class DevPeopleQuery {
  @ApiPropertyOptional({ description: 'name or id contains this text', maxLength: 50 })
  @IsOptional()
  @IsText(50)
  q?: string;
}

/** A person to sign in as: who they are and the claims their token carries; no contacts. */
export class DevPersonView {
  @ApiProperty({ example: 'officer-0001' }) personId!: string;
  @ApiProperty({ example: '张三' }) name!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: Role;
  @ApiProperty({ example: '服务专员' }) roleLabel!: string;
  @ApiProperty({ type: [String], example: ['420506'] }) regions!: string[];
}

export class DevPeopleView {
  @ApiProperty({ type: [DevPersonView], description: 'active people, by id, at most 50' })
  items!: DevPersonView[];
}
