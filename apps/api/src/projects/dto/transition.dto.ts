import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import {
  STAGE_ORDER,
  type DuplicateConfirmation,
  type EvidenceFile,
  type ProjectCommand,
  type StageCode,
  TEXT_LIMITS,
} from '@app/domain';
import { OnlyWhen } from '../../common/only-when';
import { IsBusinessDate, IsCreditCode, IsText, IsYuan } from '../../common/validators';
import { DuplicateConfirmationDto } from '../../duplicates/dto/duplicates.dto';
import { EvidenceFiles, type EvidenceReferenceDto } from './evidence.dto';

/** Where a transition can go: the stage codes, plus `reopen` for a dropped project. */
export type TransitionTarget = Exclude<StageCode, 'lead'> | 'reopen';
export const TRANSITION_TARGETS: readonly TransitionTarget[] = [
  ...STAGE_ORDER.filter((stage): stage is Exclude<StageCode, 'lead' | 'dropped'> => stage !== 'lead'),
  'dropped',
  'reopen',
];

const AREA = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

export class SiteDto {
  @ApiProperty({ enum: ['land_parcel', 'lease'], description: '土地摘牌 or 租赁厂房' })
  @IsIn(['land_parcel', 'lease'])
  kind!: 'land_parcel' | 'lease';

  @ApiPropertyOptional({ description: '地块编号, for a land parcel', maxLength: TEXT_LIMITS.parcelNumber })
  @OnlyWhen('kind', ['land_parcel'], { required: true })
  @IsText(TEXT_LIMITS.parcelNumber)
  parcelNumber?: string;

  @ApiPropertyOptional({
    description: '租赁合同编号, for a lease',
    maxLength: TEXT_LIMITS.leaseContractNumber,
  })
  @OnlyWhen('kind', ['lease'], { required: true })
  @IsText(TEXT_LIMITS.leaseContractNumber)
  leaseContractNumber?: string;

  @ApiPropertyOptional({ description: 'address of the leased premises', maxLength: TEXT_LIMITS.address })
  @OnlyWhen('kind', ['lease'])
  @IsText(TEXT_LIMITS.address)
  address?: string;

  @ApiPropertyOptional({ example: '20000.00', description: 'square metres, as a decimal string' })
  @IsOptional()
  @Matches(AREA, { message: '$property must be square metres as a decimal string, e.g. "20000.00"' })
  areaSquareMetres?: string;
}

export class ConstructionEvidenceDto {
  @ApiProperty({ enum: ['construction_permit', 'other'], description: '施工许可证 or other evidence' })
  @IsIn(['construction_permit', 'other'])
  kind!: 'construction_permit' | 'other';

  @ApiPropertyOptional({ description: '施工许可证编号', maxLength: TEXT_LIMITS.permitNumber })
  @OnlyWhen('kind', ['construction_permit'], { required: true })
  @IsText(TEXT_LIMITS.permitNumber)
  permitNumber?: string;

  @ApiPropertyOptional({
    description: 'what shows real construction (piling, not levelling)',
    maxLength: TEXT_LIMITS.evidenceDescription,
  })
  @OnlyWhen('kind', ['other'], { required: true })
  @IsText(TEXT_LIMITS.evidenceDescription)
  description?: string;
}

/**
 * Moves a project to its next stage with the evidence that stage needs (DESIGN.md, Lifecycle).
 * Each evidence field is accepted only with the stage it belongs to.
 */
export class TransitionDto {
  @ApiProperty({ enum: TRANSITION_TARGETS, description: 'the stage to move to, or reopen' })
  @IsIn(TRANSITION_TARGETS)
  to!: TransitionTarget;

  @ApiPropertyOptional({ example: '2025-03-10', description: 'negotiating: first talks date' })
  @OnlyWhen('to', ['negotiating'], { required: true })
  @IsBusinessDate()
  talksDate?: string;

  @ApiPropertyOptional({ description: 'negotiating: 领衔领导', maxLength: TEXT_LIMITS.leadingOfficial })
  @OnlyWhen('to', ['negotiating'])
  @IsText(TEXT_LIMITS.leadingOfficial)
  leadingOfficial?: string;

  @ApiPropertyOptional({ example: '2025-05-20', description: 'signed: contract date' })
  @OnlyWhen('to', ['signed'], { required: true })
  @IsBusinessDate()
  contractDate?: string;

  @ApiPropertyOptional({ example: '150000000.00', description: 'signed: 合同投资额, yuan' })
  @OnlyWhen('to', ['signed'], { required: true })
  @IsYuan()
  contractInvestment?: string;

  @ApiPropertyOptional({ description: 'signed: contract number', maxLength: TEXT_LIMITS.contractNumber })
  @OnlyWhen('to', ['signed'], { required: true })
  @IsText(TEXT_LIMITS.contractNumber)
  contractNumber?: string;

  @ApiPropertyOptional({ description: 'signed: 集中签约 batch id', maxLength: TEXT_LIMITS.signingBatchId })
  @OnlyWhen('to', ['signed'])
  @IsText(TEXT_LIMITS.signingBatchId)
  signingBatchId?: string;

  @ApiPropertyOptional({ description: 'signed: production date the contract plans' })
  @OnlyWhen('to', ['signed'])
  @IsBusinessDate()
  plannedProductionDate?: string;

  @ApiPropertyOptional({
    type: DuplicateConfirmationDto,
    description:
      'signed, sent again after a 409 LIKELY_DUPLICATE: that this signing is another project than the one named (recorded as DuplicateConfirmed)',
  })
  @OnlyWhen('to', ['signed'])
  @IsObject()
  @ValidateNested()
  @Type(() => DuplicateConfirmationDto)
  duplicateConfirmation?: DuplicateConfirmationDto;

  @ApiPropertyOptional({ example: '91420500MA4F0XXXXX', description: 'landed: 统一社会信用代码' })
  @OnlyWhen('to', ['landed'], { required: true })
  @IsCreditCode()
  creditCode?: string;

  @ApiPropertyOptional({ description: 'landed: registered company name', maxLength: TEXT_LIMITS.companyName })
  @OnlyWhen('to', ['landed'])
  @IsText(TEXT_LIMITS.companyName)
  companyName?: string;

  @ApiPropertyOptional({ description: 'landed: date the company and site were secured' })
  @OnlyWhen('to', ['landed'], { required: true })
  @IsBusinessDate()
  landedDate?: string;

  @ApiPropertyOptional({ type: SiteDto, description: 'landed: land parcel or lease' })
  @OnlyWhen('to', ['landed'], { required: true })
  @IsObject()
  @ValidateNested()
  @Type(() => SiteDto)
  site?: SiteDto;

  @ApiPropertyOptional({ description: 'started: construction start date' })
  @OnlyWhen('to', ['started'], { required: true })
  @IsBusinessDate()
  startDate?: string;

  @ApiPropertyOptional({ type: ConstructionEvidenceDto, description: 'started: permit or other evidence' })
  @OnlyWhen('to', ['started'], { required: true })
  @IsObject()
  @ValidateNested()
  @Type(() => ConstructionEvidenceDto)
  evidence?: ConstructionEvidenceDto;

  @ApiPropertyOptional({ description: 'in_stats: 项目统计代码', maxLength: TEXT_LIMITS.statisticsCode })
  @OnlyWhen('to', ['in_stats'], { required: true })
  @IsText(TEXT_LIMITS.statisticsCode)
  statisticsCode?: string;

  @ApiPropertyOptional({ description: 'in_stats: date entered in the statistics' })
  @OnlyWhen('to', ['in_stats'], { required: true })
  @IsBusinessDate()
  inStatsDate?: string;

  @ApiPropertyOptional({ description: 'producing: production start date' })
  @OnlyWhen('to', ['producing'], { required: true })
  @IsBusinessDate()
  productionDate?: string;

  @ApiPropertyOptional({ enum: ['partial', 'full'], description: 'producing: 部分投产 or 全部投产' })
  @OnlyWhen('to', ['producing'], { required: true })
  @IsIn(['partial', 'full'])
  scope?: 'partial' | 'full';

  @ApiPropertyOptional({ description: 'dropped or reopen: why', maxLength: TEXT_LIMITS.reason })
  @OnlyWhen('to', ['dropped', 'reopen'], { required: true })
  @IsText(TEXT_LIMITS.reason)
  reason?: string;

  @ApiPropertyOptional({ description: 'dropped: when, if before today; today by default' })
  @OnlyWhen('to', ['dropped'])
  @IsBusinessDate()
  droppedDate?: string;

  @EvidenceFiles(
    'landed, started, in_stats or producing: the evidence files (uploaded first with POST /api/files) and the slot each fills; the policy names what each step needs (by default 入统 the filing, the construction contract, a site photo and the business licence; 开工 a start photo or the permit; 落地 the land or lease document)',
  )
  @OnlyWhen('to', ['landed', 'started', 'in_stats', 'producing'])
  files?: EvidenceReferenceDto[];
}

/** The confirmation as a command carries it, when one was sent. */
export function duplicateConfirmationOf(dto: DuplicateConfirmationDto | undefined): {
  duplicateConfirmation?: DuplicateConfirmation;
} {
  return dto ? { duplicateConfirmation: { of: dto.of, match: dto.match, reason: dto.reason } } : {};
}

/** The domain command a validated transition stands for. */
export function transitionCommand(dto: TransitionDto, files: EvidenceFile[] = []): ProjectCommand {
  const evidence = files.length > 0 ? { files } : {};
  switch (dto.to) {
    case 'negotiating':
      return {
        type: 'StartTalks',
        data: { talksDate: dto.talksDate!, leadingOfficial: dto.leadingOfficial ?? null },
      };
    case 'signed':
      return {
        type: 'Sign',
        data: {
          contractDate: dto.contractDate!,
          contractInvestment: dto.contractInvestment!,
          contractNumber: dto.contractNumber!,
          signingBatchId: dto.signingBatchId ?? null,
          plannedProductionDate: dto.plannedProductionDate ?? null,
          ...duplicateConfirmationOf(dto.duplicateConfirmation),
        },
      };
    case 'landed': {
      const s = dto.site!;
      return {
        type: 'Land',
        data: {
          creditCode: dto.creditCode!,
          companyName: dto.companyName ?? null,
          landedDate: dto.landedDate!,
          ...evidence,
          site:
            s.kind === 'land_parcel'
              ? { kind: 'land_parcel', parcelNumber: s.parcelNumber!, areaSquareMetres: s.areaSquareMetres }
              : {
                  kind: 'lease',
                  leaseContractNumber: s.leaseContractNumber!,
                  address: s.address,
                  areaSquareMetres: s.areaSquareMetres,
                },
        },
      };
    }
    case 'started': {
      const e = dto.evidence!;
      return {
        type: 'StartConstruction',
        data: {
          startDate: dto.startDate!,
          ...evidence,
          evidence:
            e.kind === 'construction_permit'
              ? { kind: 'construction_permit', permitNumber: e.permitNumber! }
              : { kind: 'other', description: e.description! },
        },
      };
    }
    case 'in_stats':
      return {
        type: 'EnterStatistics',
        data: { statisticsCode: dto.statisticsCode!, inStatsDate: dto.inStatsDate!, ...evidence },
      };
    case 'producing':
      return {
        type: 'StartProduction',
        data: { productionDate: dto.productionDate!, scope: dto.scope!, ...evidence },
      };
    case 'dropped':
      return {
        type: 'Drop',
        data: { reason: dto.reason!, ...(dto.droppedDate ? { droppedDate: dto.droppedDate } : {}) },
      };
    case 'reopen':
      return { type: 'Reopen', data: { reason: dto.reason! } };
    default: {
      const unreachable: never = dto.to;
      throw new Error(`unknown transition ${String(unreachable)}`);
    }
  }
}
