import { Button, Drawer, Space } from 'antd';
import { useState } from 'react';
import type { ProjectCommandType } from '../../../../../libs/domain/src/commands';
import { useMe } from '../../me';
import { RECORD_ACTIONS } from './record-actions';
import { TRANSITION_ACTIONS } from './transition-actions';
import type { ProjectAction, ProjectDetail } from './types';

const ACTIONS: ProjectAction[] = [...TRANSITION_ACTIONS, ...RECORD_ACTIONS];

/** The commands the caller may issue on this project now: the project's own list when the API gives it. */
function commandsNow(project: ProjectDetail, roleCommands: readonly string[]): Set<string> {
  const own = (project as { availableCommands?: string[] }).availableCommands;
  return new Set<string>(own ?? roleCommands);
}

/** The project page's action bar: a button per action the caller may take now, each opening its form. */
export function ProjectActions(props: { project: ProjectDetail; etag: string | null; reload: () => void }) {
  const me = useMe();
  const [open, setOpen] = useState<ProjectAction | null>(null);
  const allowed = commandsNow(props.project, me?.commands ?? []);
  const offered = ACTIONS.filter((a) => a.commands.some((c: ProjectCommandType) => allowed.has(c)));
  if (offered.length === 0) return null;
  return (
    <>
      <Space wrap data-testid="project-actions" style={{ marginBottom: 16 }}>
        {offered.map((a) => (
          <Button key={a.key} danger={a.danger} onClick={() => setOpen(a)}>
            {a.label}
          </Button>
        ))}
      </Space>
      <Drawer
        title={open?.label}
        open={open !== null}
        onClose={() => setOpen(null)}
        width="min(560px, 100vw)"
        destroyOnHidden
      >
        {open && (
          <open.Form
            project={props.project}
            etag={props.etag}
            onDone={() => {
              setOpen(null);
              props.reload();
            }}
            onReload={props.reload}
            onCancel={() => setOpen(null)}
          />
        )}
      </Drawer>
    </>
  );
}
