import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  policyRolloutProgress,
  type PolicyRolloutInput,
  type PolicyRolloutProgress,
} from '@app/workflow-interface/policy-rollout-workflow';
import type { PolicyRolloutActivities } from '../activities/policy-rollout-activities';

const { startPolicyRollout, signalProjectsPage } = proxyActivities<PolicyRolloutActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const DEFAULT_PAGE_SIZE = 200;
/** Pages per run before handing over to a new run, so the history stays small at any portfolio size. */
const PAGES_PER_RUN = 500;

/**
 * Sends one stored policy version to every project the read model holds, a page at a time. The
 * read model, not visibility, says which projects exist, so a workflow not yet indexed is not
 * missed; each page is an activity, so a crash repeats at most one page, and a repeated signal is
 * harmless (a workflow ignores a version it has). Projects recorded around the time the version was
 * stored are signalled once more at the end, in case one registered while the pass went by.
 */
export async function policyRolloutWorkflow(input: PolicyRolloutInput): Promise<PolicyRolloutProgress> {
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const progress: PolicyRolloutProgress = input.resume?.progress ?? {
    version: input.version,
    status: 'started',
    total: null,
    signalled: 0,
    notRunning: 0,
    pages: 0,
    lateSignalled: 0,
  };
  setHandler(policyRolloutProgress, () => progress);

  if (progress.total === null) {
    const { total } = await startPolicyRollout({ version: input.version });
    progress.total = total;
    progress.status = 'signalling';
  }

  let after = input.resume?.after ?? null;
  let pagesThisRun = 0;
  for (;;) {
    const page = await signalProjectsPage({ version: input.version, after, limit: pageSize });
    progress.signalled += page.signalled;
    progress.notRunning += page.notRunning;
    progress.pages++;
    pagesThisRun++;
    after = page.next;
    if (after === null) break;
    if (pagesThisRun >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof policyRolloutWorkflow>({ ...input, resume: { after, progress } });
    }
  }

  let late: string | null = null;
  do {
    const page: { next: string | null; signalled: number } = await signalProjectsPage({
      version: input.version,
      after: late,
      limit: pageSize,
      recentOnly: true,
    });
    progress.lateSignalled += page.signalled;
    late = page.next;
  } while (late !== null);

  progress.status = 'done';
  return progress;
}
