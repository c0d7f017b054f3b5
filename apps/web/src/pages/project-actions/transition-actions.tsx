import type { ProjectAction } from './types';

/** Stage transitions: 在谈, 签约, 落地, 开工, 入统, 投产, and a leader's 终止 and 重新启动. */
export const TRANSITION_ACTIONS: ProjectAction[] = [];
