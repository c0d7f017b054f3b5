import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import {
  INVESTOR_FLAGS,
  INVESTOR_TYPES,
  type InvestorFlag,
  type InvestorType,
  TEXT_LIMITS,
} from '@app/domain';
import { IsBusinessDate, IsRegionCode, IsText, IsYuan } from '../../common/validators';
import { DuplicateConfirmationDto } from '../../duplicates/dto/duplicates.dto';

export class InvestorDto {
  @ApiProperty({ example: '湖北某某新材料有限公司', maxLength: TEXT_LIMITS.investorName })
  @IsText(TEXT_LIMITS.investorName)
  name!: string;

  @ApiProperty({ enum: INVESTOR_TYPES, description: '央企, 国企, 民营, 外资, 港澳台' })
  @IsIn(INVESTOR_TYPES)
  type!: InvestorType;

  @ApiPropertyOptional({
    enum: INVESTOR_FLAGS,
    isArray: true,
    description: '世界500强, 中国500强, 民营500强, 上市公司',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(INVESTOR_FLAGS, { each: true })
  flags: InvestorFlag[] = [];

  @ApiPropertyOptional({
    example: '440000',
    description:
      'where the investor is based (6-digit division code; a province xx0000 is enough): its funds count as 实际利用省外资金 when another province than the project',
  })
  @IsOptional()
  @IsRegionCode()
  origin?: string;
}

/** 线索登记: what a service officer knows when a lead comes in. */
export class RegisterProjectDto {
  @ApiProperty({ example: '年产5万吨锂电池正极材料项目', maxLength: TEXT_LIMITS.projectName })
  @IsText(TEXT_LIMITS.projectName)
  name!: string;

  @ApiProperty({ type: InvestorDto })
  @IsObject()
  @ValidateNested()
  @Type(() => InvestorDto)
  investor!: InvestorDto;

  @ApiProperty({ example: '新材料', description: '产业链', maxLength: TEXT_LIMITS.industryChain })
  @IsText(TEXT_LIMITS.industryChain)
  industryChain!: string;

  @ApiProperty({ example: '420500', description: '行政区划代码 (6 digits)' })
  @IsRegionCode()
  region!: string;

  @ApiPropertyOptional({ example: '宜昌高新区', description: '园区', maxLength: TEXT_LIMITS.park })
  @IsOptional()
  @IsText(TEXT_LIMITS.park)
  park?: string;

  @ApiProperty({ description: '工业项目' })
  @IsBoolean()
  industrial!: boolean;

  @ApiProperty({ example: '150000000.00', description: '计划总投资, yuan as an exact decimal string' })
  @IsYuan()
  plannedInvestment!: string;

  @ApiProperty({ example: '以商招商', description: '线索来源', maxLength: TEXT_LIMITS.source })
  @IsText(TEXT_LIMITS.source)
  source!: string;

  @ApiProperty({ example: '2025-03-01', description: 'date the lead came in (YYYY-MM-DD)' })
  @IsBusinessDate()
  leadDate!: string;

  @ApiPropertyOptional({
    type: DuplicateConfirmationDto,
    description:
      'sent again after a 409 LIKELY_DUPLICATE: that this lead is another project than the one named (recorded as DuplicateConfirmed)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DuplicateConfirmationDto)
  duplicateConfirmation?: DuplicateConfirmationDto;
}
