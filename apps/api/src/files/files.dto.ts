import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVIDENCE_MEDIA_TYPES, type CapturePlace, type EvidenceMediaType } from '@app/domain';

export class UploadFileForm {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'the file: PDF, JPEG, PNG, HEIC, or a Word, Excel or PowerPoint document',
  })
  file!: unknown;
}

export class CapturePlaceView implements CapturePlace {
  @ApiProperty({ minimum: -90, maximum: 90 }) latitude!: number;
  @ApiProperty({ minimum: -180, maximum: 180 }) longitude!: number;
}

/** An uploaded file as the content told it: its hash, type, size, and for photos when and where. */
export class FileView {
  @ApiProperty({ format: 'uuid' }) fileId!: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the content' }) sha256!: string;
  @ApiProperty({ description: 'the name the uploader gave it' }) name!: string;
  @ApiProperty({ enum: EVIDENCE_MEDIA_TYPES, description: 'sniffed from the content' })
  mediaType!: EvidenceMediaType;
  @ApiProperty({ minimum: 0, description: 'bytes' }) size!: number;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '2025-04-18T09:30:15',
    description: "a photo's EXIF DateTimeOriginal, the camera's clock, without zone",
  })
  capturedAt!: string | null;
  @ApiPropertyOptional({ type: CapturePlaceView, nullable: true, description: "a photo's EXIF GPS position" })
  capturePlace!: CapturePlace | null;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
  @ApiProperty({ description: 'whether a recorded command cites it (else removed a day after upload)' })
  referenced!: boolean;
}
