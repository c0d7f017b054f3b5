/**
 * The ledger (台账) import job: one workflow run per step of an import (a dry run, each time the
 * file or its mapping is analysed; then the import of the rows confirmed). The imports table holds
 * the job's state, so a step's workflow carries only the import's id.
 */
export const LEDGER_IMPORT_WORKFLOW_TYPE = 'ledgerImportWorkflow';

export type LedgerImportStep = 'analyse' | 'import';

/**
 * One workflow per analysis run and one per import: a repeated confirm starts nothing new, and a
 * mapping changed while a dry run goes on starts the next run beside it (the older one's results are
 * not kept: each write names its run).
 */
export function ledgerImportWorkflowId(importId: string, step: LedgerImportStep, run: number): string {
  return step === 'analyse' ? `ledger-import-${importId}-analyse-${run}` : `ledger-import-${importId}-import`;
}

export interface LedgerImportInput {
  importId: string;
  step: LedgerImportStep;
  /** The analysis run this workflow belongs to (imports.run when it was started). */
  run: number;
}

export interface LedgerImportResult {
  importId: string;
  status: 'analysed' | 'done' | 'failed' | 'superseded';
  rows: number;
}

/** An analysis's outcome for one row of the file. */
export type ImportRowOutcome = 'good' | 'bad' | 'changed' | 'unchanged' | 'duplicate' | 'imported' | 'failed';
