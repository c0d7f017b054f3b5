import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, Matches, ValidateNested } from 'class-validator';
import {
  EVIDENCE_MEDIA_TYPES,
  EVIDENCE_SLOTS,
  EVIDENCE_STEPS,
  evidenceRequirementLabel,
  MAX_EVIDENCE_FILES,
  STEP_LABELS,
  type EvidenceReference,
  type EvidenceRequirements,
  type EvidenceSlot,
  type EvidenceStep,
} from '@app/domain';
import { UUID_PATTERN } from '../../common/validators';

/** A file uploaded with POST /api/files and the slot it fills in this command. */
export class EvidenceReferenceDto implements EvidenceReference {
  @ApiProperty({ format: 'uuid', description: 'the id POST /api/files answered' })
  @Matches(UUID_PATTERN, { message: '$property must be the id of an uploaded file (a UUID)' })
  fileId!: string;

  @ApiProperty({
    enum: EVIDENCE_SLOTS,
    description:
      '备案或核准文件 filing_document, 施工合同 construction_contract, 现场照片 site_photo, 营业执照 business_licence, 开工照片 start_photo, 施工许可证 construction_permit, 土地出让合同 land_document, 租赁合同 lease_contract, 资金到位凭证 funds_receipt, 堵点办结材料 resolution_document, 走访照片 visit_photo, other',
  })
  @IsIn(EVIDENCE_SLOTS)
  slot!: EvidenceSlot;
}

/** The optional `files` of a command: the evidence it carries, each file once. */
export function EvidenceFiles(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [EvidenceReferenceDto], maxItems: MAX_EVIDENCE_FILES, description }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_EVIDENCE_FILES),
    ValidateNested({ each: true }),
    Type(() => EvidenceReferenceDto),
  );
}

/** One document a step needs: the slots any one of which provides it, and how it reads. */
export class EvidenceDocumentView {
  @ApiProperty({ enum: EVIDENCE_SLOTS, isArray: true }) slots!: EvidenceSlot[];
  @ApiProperty({ example: '开工现场照片（桩基施工）或施工许可证' }) label!: string;
}

/** The evidence one step needs under the policy in force (the project page's slots to fill). */
export class EvidenceStepView {
  @ApiProperty({ enum: EVIDENCE_STEPS }) step!: EvidenceStep;
  @ApiProperty({ example: '入统' }) stepLabel!: string;
  @ApiProperty({ type: [EvidenceDocumentView] }) documents!: EvidenceDocumentView[];
}

export function evidenceStepViews(requirements: EvidenceRequirements): EvidenceStepView[] {
  return EVIDENCE_STEPS.filter((step) => (requirements[step] ?? []).length > 0).map((step) => ({
    step,
    stepLabel: STEP_LABELS[step],
    documents: (requirements[step] ?? []).map((slots) => ({
      slots: [...slots],
      label: evidenceRequirementLabel(slots),
    })),
  }));
}

export class CapturePlaceView {
  @ApiProperty({ example: 30.6919 }) latitude!: number;
  @ApiProperty({ example: 111.2865 }) longitude!: number;
}

/** A file an event of the project recorded, as the event recorded it. */
export class RecordedFileView {
  @ApiProperty({ format: 'uuid' }) fileId!: string;
  @ApiProperty({ enum: EVIDENCE_SLOTS }) slot!: EvidenceSlot;
  @ApiProperty({ example: '施工合同' }) slotLabel!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: EVIDENCE_MEDIA_TYPES }) mediaType!: string;
  @ApiProperty({ description: 'bytes' }) size!: number;
  @ApiProperty({ description: 'SHA-256 of the content, as the event (and so the hash chain) holds it' })
  sha256!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: "a photo's EXIF capture time" })
  capturedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: CapturePlaceView }) capturePlace!: CapturePlaceView | null;
  @ApiProperty({ example: 'StatisticsEntered' }) eventType!: string;
  @ApiProperty({ description: "the event's version in the project's stream" }) eventVersion!: number;
  @ApiProperty() businessTime!: string;
  @ApiProperty({ description: 'GET it for the content (streamed, with its name)' }) contentUrl!: string;
}
