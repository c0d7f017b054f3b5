import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  LANDLINE_PATTERN,
  MOBILE_PATTERN,
  PERSON_ID_PATTERN,
  PERSONAL_CHANNELS,
  ROLE_LABELS,
  TEXT_LIMITS,
  personalChannelsOf,
  type PersonalChannel,
  type Role,
} from '@app/domain';
import { IsRegionCode, IsText } from '../common/validators';
import { USER_ROLES } from '../auth/token-rules';
import { PageQuery } from '../common/paging';

const PHONE = new RegExp(`(${MOBILE_PATTERN.source})|(${LANDLINE_PATTERN.source})`);

/** A person as admins keep them: the id their sign-in carries, their name, role and regions. */
export class PersonDto {
  @ApiProperty({ example: '张三', maxLength: TEXT_LIMITS.personName })
  @IsText(TEXT_LIMITS.personName)
  name!: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: Role;

  @ApiProperty({ type: [String], example: ['420506'], description: '6-digit division codes', maxItems: 50 })
  @IsArray()
  @ArrayMaxSize(50)
  @IsRegionCode({ each: true })
  regions!: string[];

  @ApiPropertyOptional({
    example: '13800138000',
    nullable: true,
    type: String,
    description: 'mobile or landline',
  })
  @IsOptional()
  @Matches(PHONE, {
    message: 'phone must be a mainland mobile (11 digits) or a landline such as 0717-6222222',
  })
  phone?: string | null;

  @ApiPropertyOptional({ example: 'zhangsan@yichang.gov.cn', nullable: true, type: String, maxLength: 254 })
  @IsOptional()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string | null;

  @ApiPropertyOptional({ description: 'false retires the person; they stay on the projects they served' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** A new person: the directory entry and its id. */
export class CreatePersonDto extends PersonDto {
  @ApiProperty({ example: 'officer-0001', pattern: PERSON_ID_PATTERN.source })
  @Matches(PERSON_ID_PATTERN, {
    message:
      'personId must be 1–64 letters, digits, dots, hyphens, underscores or @, starting with a letter or digit',
  })
  personId!: string;
}

export class ListPeopleQuery extends PageQuery {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: Role;

  @ApiPropertyOptional({
    example: '420500',
    description: 'people whose regions cover this one, or lie in it',
  })
  @IsOptional()
  @IsRegionCode()
  region?: string;

  @ApiPropertyOptional({ description: 'name or id contains this text', maxLength: 50 })
  @IsOptional()
  @IsText(50)
  q?: string;

  @ApiPropertyOptional({ description: 'only active (true, the default) or retired (false) people' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    description:
      'admins only: false lists the people no alert can reach (no e-mail and no mobile), true those it can',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  reachable?: boolean;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', pattern: PERSON_ID_PATTERN.source })
  @IsOptional()
  @Matches(PERSON_ID_PATTERN, { message: '$property must be a nextCursor this API gave out' })
  cursor?: string;
}

export class PersonView {
  @ApiProperty() personId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: Role;
  @ApiProperty({ example: '服务专员' }) roleLabel!: string;
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'shown to admins and to the person; null for others',
  })
  phone!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'as phone' }) email!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: [String],
    enum: PERSONAL_CHANNELS,
    description: 'the channels alerts reach the person on (e-mail, mobile for @-mentions); as phone',
  })
  channels!: PersonalChannel[] | null;
  @ApiProperty() active!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() updatedAt!: string;

  static of(row: PersonRow, withContacts: boolean): PersonView {
    return {
      personId: row.person_id,
      name: row.name,
      role: row.role,
      roleLabel: ROLE_LABELS[row.role] ?? row.role,
      regions: row.regions,
      phone: withContacts ? row.phone : null,
      email: withContacts ? row.email : null,
      channels: withContacts ? personalChannelsOf(row) : null,
      active: row.active,
      version: row.version,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}

export class PersonPageView {
  @ApiProperty({ type: [PersonView] }) items!: PersonView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export interface PersonRow {
  person_id: string;
  name: string;
  role: Role;
  regions: string[];
  phone: string | null;
  email: string | null;
  active: boolean;
  version: number;
  updated_at: string | Date;
}
