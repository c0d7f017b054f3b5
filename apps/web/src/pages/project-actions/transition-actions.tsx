import { TRANSITION_COMMANDS } from '../../../../../libs/domain/src/commands';
import { LandForm } from './LandForm';
import { ProductionForm } from './ProductionForm';
import { DropForm, ReopenForm } from './ReasonForms';
import { SignForm } from './SignForm';
import { StartConstructionForm } from './StartConstructionForm';
import { StatisticsForm } from './StatisticsForm';
import { TalksForm } from './TalksForm';
import type { ProjectAction } from './types';

/** Stage transitions: 在谈, 签约, 落地, 开工, 入统, 投产, and a leader's 终止 and 重新启动. */
export const TRANSITION_ACTIONS: ProjectAction[] = [
  { key: 'negotiating', label: '在谈', commands: [TRANSITION_COMMANDS.negotiating], Form: TalksForm },
  { key: 'signed', label: '签约', commands: [TRANSITION_COMMANDS.signed], Form: SignForm },
  { key: 'landed', label: '落地', commands: [TRANSITION_COMMANDS.landed], Form: LandForm },
  { key: 'started', label: '开工', commands: [TRANSITION_COMMANDS.started], Form: StartConstructionForm },
  { key: 'in_stats', label: '入统', commands: [TRANSITION_COMMANDS.in_stats], Form: StatisticsForm },
  { key: 'producing', label: '投产', commands: [TRANSITION_COMMANDS.producing], Form: ProductionForm },
  { key: 'dropped', label: '终止', commands: [TRANSITION_COMMANDS.dropped], danger: true, Form: DropForm },
  { key: 'reopen', label: '重新启动', commands: [TRANSITION_COMMANDS.reopen], Form: ReopenForm },
];
