import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ROBOT_KINDS, ROBOT_KIND_LABELS, type RobotKind } from '@app/domain';
import { IsRegionCode, IsText } from '../common/validators';
import { PageQuery } from '../common/paging';

/** A robot's token, key or secret: what DingTalk and WeCom hand out, printable and without spaces. */
const CREDENTIAL = /^[\x21-\x7e]{8,256}$/;
const CREDENTIAL_MESSAGE = '$property must be 8–256 printable characters without spaces';
const CREDENTIAL_SCHEMA = { pattern: '^[\\x21-\\x7e]{8,256}$', minLength: 8, maxLength: 256 };

/** What an admin may change of a group robot; absent fields stay as they are. */
export class UpdateRobotDto {
  @ApiPropertyOptional({ example: '瓯海区招商工作群', maxLength: 100 })
  @IsOptional()
  @IsText(100)
  name?: string;

  @ApiPropertyOptional({ example: '330304', description: 'the 6-digit division whose alerts the group gets' })
  @IsOptional()
  @IsRegionCode()
  region?: string;

  @ApiPropertyOptional({ example: '投资促进局', nullable: true, type: String, maxLength: 100 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsText(100)
  department?: string | null;

  @ApiPropertyOptional({
    description: 'DingTalk: the access_token of its webhook; WeCom: the key of its webhook. Write-only.',
    writeOnly: true,
    ...CREDENTIAL_SCHEMA,
  })
  @IsOptional()
  @Matches(CREDENTIAL, { message: CREDENTIAL_MESSAGE })
  token?: string;

  @ApiPropertyOptional({
    description: 'DingTalk signed mode (加签): the SEC… secret; null turns signing off. Write-only.',
    nullable: true,
    type: String,
    writeOnly: true,
    ...CREDENTIAL_SCHEMA,
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(CREDENTIAL, { message: CREDENTIAL_MESSAGE })
  secret?: string | null;

  @ApiPropertyOptional({ description: 'false stops routing alerts to it' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class CreateRobotDto {
  @ApiProperty({ enum: ROBOT_KINDS })
  @IsIn(ROBOT_KINDS)
  kind!: RobotKind;

  @ApiProperty({ example: '瓯海区招商工作群', maxLength: 100 })
  @IsText(100)
  name!: string;

  @ApiProperty({ example: '330304', description: 'the 6-digit division whose alerts the group gets' })
  @IsRegionCode()
  region!: string;

  @ApiPropertyOptional({ example: '投资促进局', nullable: true, type: String, maxLength: 100 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsText(100)
  department?: string | null;

  @ApiProperty({
    description: 'DingTalk: the access_token of its webhook; WeCom: the key of its webhook. Write-only.',
    writeOnly: true,
    ...CREDENTIAL_SCHEMA,
  })
  @Matches(CREDENTIAL, { message: CREDENTIAL_MESSAGE })
  token!: string;

  @ApiPropertyOptional({
    description: 'DingTalk signed mode (加签): the SEC… secret. Write-only; WeCom robots have none.',
    nullable: true,
    type: String,
    writeOnly: true,
    ...CREDENTIAL_SCHEMA,
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(CREDENTIAL, { message: CREDENTIAL_MESSAGE })
  secret?: string | null;

  @ApiPropertyOptional({ description: 'false: kept, but no alert is routed to it', default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class ListRobotsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROBOT_KINDS })
  @IsOptional()
  @IsIn(ROBOT_KINDS)
  kind?: RobotKind;

  @ApiPropertyOptional({ example: '330304', description: 'robots of this division exactly' })
  @IsOptional()
  @IsRegionCode()
  region?: string;

  @ApiPropertyOptional({ description: 'only enabled (true) or disabled (false) robots; all when absent' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', format: 'uuid' })
  @IsOptional()
  @MaxLength(36)
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
    message: '$property must be a nextCursor this API gave out',
  })
  cursor?: string;
}

/** A robot as admins read it: never its token or secret, only whether it has them. */
export class RobotView {
  @ApiProperty({ format: 'uuid' }) robotId!: string;
  @ApiProperty({ enum: ROBOT_KINDS }) kind!: RobotKind;
  @ApiProperty({ example: '钉钉群机器人' }) kindLabel!: string;
  @ApiProperty() name!: string;
  @ApiProperty() region!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) department!: string | null;
  @ApiProperty({ description: 'always true: a robot cannot be kept without its token or key' })
  hasToken!: boolean;
  @ApiProperty({ description: 'whether DingTalk signed mode is on' }) hasSecret!: boolean;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() updatedAt!: string;

  static of(row: RobotRow): RobotView {
    return {
      robotId: row.robot_id,
      kind: row.kind,
      kindLabel: ROBOT_KIND_LABELS[row.kind] ?? row.kind,
      name: row.name,
      region: row.region,
      department: row.department,
      hasToken: row.has_token,
      hasSecret: row.has_secret,
      enabled: row.enabled,
      version: row.version,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}

export class RobotPageView {
  @ApiProperty({ type: [RobotView] }) items!: RobotView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export interface RobotRow {
  robot_id: string;
  kind: RobotKind;
  name: string;
  region: string;
  department: string | null;
  has_token: boolean;
  has_secret: boolean;
  enabled: boolean;
  version: number;
  updated_at: string | Date;
}
