import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// What the audit routes answer, documented for clients (the console's types are generated from them).

export class BrokenLinkView {
  @ApiProperty() projectId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({
    example: 'hash_mismatch',
    description:
      'version_gap, previous_hash_mismatch, hash_mismatch, head_mismatch, missing_events or rewritten_before_checkpoint',
  })
  problem!: string;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional() expected?: string;
  @ApiPropertyOptional() found?: string;
}

/** An event as the log holds it, with its place in the project's hash chain. */
export class HistoryEventView {
  @ApiProperty({ description: 'position in the whole log, as a decimal string' }) globalPosition!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty({ description: "position in the project's stream, from 1" }) version!: number;
  @ApiProperty({ example: 'ProjectSigned' }) type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "the event's data" })
  data!: Record<string, unknown>;
  @ApiProperty({ description: 'the business time the event claims' }) businessTime!: string;
  @ApiProperty({ description: 'when the system recorded it (UTC)' }) recordedAt!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty() actorRole!: string;
  @ApiProperty() commandId!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({ description: 'the hash of the event before it (zeros for the first)' })
  previousHash!: string;
  @ApiProperty({ description: 'SHA-256 over the previous hash and this event' }) hash!: string;
  @ApiProperty({
    type: BrokenLinkView,
    nullable: true,
    description:
      'null when the link holds: the version follows the event before it, previousHash is its hash, and the content gives hash; otherwise what is wrong, as verification names it',
  })
  brokenLink!: BrokenLinkView | null;
}

export class FileFindingView {
  @ApiProperty() projectId!: string;
  @ApiProperty({ description: 'the event that recorded the file' }) version!: number;
  @ApiProperty({ format: 'uuid' }) fileId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['file_missing', 'file_altered'] }) problem!: 'file_missing' | 'file_altered';
  @ApiProperty() detail!: string;
  @ApiProperty({ description: 'the hash the event recorded' }) expected!: string;
  @ApiPropertyOptional({ description: 'the hash of what is stored now' }) found?: string;
}

export class FilesVerdictView {
  @ApiProperty({ description: 'distinct contents re-hashed' }) checked!: number;
  @ApiProperty({ type: [FileFindingView] }) broken!: FileFindingView[];
}

export class VerifyReportView {
  @ApiProperty({ description: 'every chain whole and every file intact' }) ok!: boolean;
  @ApiProperty() projects!: number;
  @ApiProperty() events!: number;
  @ApiProperty({ type: [BrokenLinkView], description: 'the first broken link of each broken chain' })
  broken!: BrokenLinkView[];
  @ApiProperty({ type: FilesVerdictView, description: 'the evidence files the events recorded, re-hashed' })
  files!: FilesVerdictView;
}

export class CheckpointSummaryView {
  @ApiProperty() id!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() projects!: number;
  @ApiProperty() events!: number;
  @ApiProperty() merkleRoot!: string;
}

export class CheckpointVerdictView {
  @ApiProperty() ok!: boolean;
  @ApiProperty() signatureValid!: boolean;
  @ApiProperty({ description: "signed by this deployment's own key" }) trustedKey!: boolean;
  @ApiProperty() merkleRootValid!: boolean;
  @ApiProperty({ nullable: true, type: Number }) checkpointId!: number | null;
  @ApiProperty() projectsChecked!: number;
  @ApiProperty({ type: [BrokenLinkView] }) findings!: BrokenLinkView[];
}

export class StateAtView {
  @ApiProperty() projectId!: string;
  @ApiProperty({ nullable: true, type: String }) asOf!: string | null;
  @ApiProperty({ nullable: true, type: String }) knownAt!: string | null;
  @ApiProperty({ description: 'how many events the state folds' }) eventsApplied!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the project state then' })
  state!: Record<string, unknown>;
}

export class PublicKeyView {
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
  @ApiProperty({ description: 'SPKI, base64' }) publicKey!: string;
}
