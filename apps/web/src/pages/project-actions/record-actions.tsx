import { AssignChiefServiceOfficerForm, AssignServiceOfficerForm } from './AssignmentForm';
import { BlockerForm } from './BlockerForm';
import { CorrectionForm } from './CorrectionForm';
import { ExtensionForm } from './ExtensionForm';
import { FundsForm } from './FundsForm';
import { ResolveBlockerForm } from './ResolveBlockerForm';
import type { ProjectAction } from './types';
import { VisitForm } from './VisitForm';

/** What is recorded on a project without moving its stage: funds, blockers, visits, corrections, assignments, extensions. */
export const RECORD_ACTIONS: ProjectAction[] = [
  { key: 'funds', label: '录入到位资金', commands: ['RecordFundsArrived'], Form: FundsForm },
  { key: 'blocker', label: '登记堵点', commands: ['RaiseBlocker'], Form: BlockerForm },
  { key: 'resolve-blocker', label: '解决堵点', commands: ['ResolveBlocker'], Form: ResolveBlockerForm },
  { key: 'visit', label: '记录走访', commands: ['LogServiceVisit'], Form: VisitForm },
  { key: 'correction', label: '更正', commands: ['CorrectEvent'], Form: CorrectionForm },
  {
    key: 'assign-officer',
    label: '指派服务专员',
    commands: ['AssignServiceOfficer'],
    Form: AssignServiceOfficerForm,
  },
  {
    key: 'assign-chief',
    label: '指派首席服务官',
    commands: ['AssignChiefServiceOfficer'],
    Form: AssignChiefServiceOfficerForm,
  },
  // Leaders only: the permission table gives ExtendDeadline to no one else.
  { key: 'extension', label: '延期', commands: ['ExtendDeadline'], Form: ExtensionForm },
];
