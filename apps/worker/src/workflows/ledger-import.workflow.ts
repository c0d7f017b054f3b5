import { proxyActivities } from '@temporalio/workflow';
import type { LedgerImportInput, LedgerImportResult } from '@app/workflow-interface/ledger-import';
import type { LedgerImportActivities } from '../activities/ledger-import-activities';

const { analyseLedgerImport, importLedgerRows } = proxyActivities<LedgerImportActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
});

const { finishLedgerImport } = proxyActivities<LedgerImportActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Confirmed rows per activity: a retried page repeats at most this many (idempotent) commands. */
const IMPORT_PAGE = 500;

/**
 * One step of a ledger import: the dry run of the file, or the import of the rows confirmed. The
 * imports table holds the job's state and progress, which the API reads; whatever goes wrong ends as
 * status failed with its reason, never as a job that stays "analysing" or "importing".
 */
export async function ledgerImportWorkflow(input: LedgerImportInput): Promise<LedgerImportResult> {
  try {
    if (input.step === 'analyse')
      return await analyseLedgerImport({ importId: input.importId, run: input.run });
    let rows = 0;
    for (;;) {
      const page = await importLedgerRows({ importId: input.importId, limit: IMPORT_PAGE });
      rows = page.done;
      if (page.remaining === 0) break;
    }
    await finishLedgerImport({ importId: input.importId, status: 'done' });
    return { importId: input.importId, status: 'done', rows };
  } catch (e) {
    // An activity's failure wraps what went wrong: its cause is what the person should read.
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    const reason = cause instanceof Error ? cause.message : String(cause);
    await finishLedgerImport({
      importId: input.importId,
      status: 'failed',
      run: input.step === 'analyse' ? input.run : undefined,
      error: `导入任务失败:${reason}`,
    });
    return { importId: input.importId, status: 'failed', rows: 0 };
  }
}
