import type { ComponentType } from 'react';
import type { ProjectCommandType } from '../../../../../libs/domain/src/commands';
import type { Schemas } from '../../api/client';

export type ProjectDetail = Schemas['ProjectDetailView'];

/** What an action's form is given: the project as the page read it, and its ETag for If-Match. */
export interface ActionFormProps {
  project: ProjectDetail;
  etag: string | null;
  /** The write was accepted: the page reads the project again. */
  onDone: () => void;
  /** 412: the page reads the project again, keeping the form's values. */
  onReload: () => void;
  onCancel: () => void;
}

/**
 * One action of the project page: a button that opens its form. It is offered when one of its
 * commands is among those the caller may issue on the project now.
 */
export interface ProjectAction {
  key: string;
  /** The button's label, e.g. 签约. */
  label: string;
  commands: readonly ProjectCommandType[];
  danger?: boolean;
  Form: ComponentType<ActionFormProps>;
}
