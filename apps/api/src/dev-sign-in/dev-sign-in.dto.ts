import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsString } from 'class-validator';
import type { Role } from '@app/domain';
import { USER_ROLES } from '../auth/token-rules';
import { IsRegionCode } from '../common/validators';
import { REGION_PATTERN } from '../common/openapi';

/** Who the development sign-in makes the caller: the claims a single sign-on would give. */
export class DevTokenDto {
  @ApiProperty({ example: 'officer-0001', description: 'the person id (token subject)', maxLength: 128 })
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
