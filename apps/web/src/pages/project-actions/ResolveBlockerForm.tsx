import { Alert, Form, Input } from 'antd';
import { api } from '../../api/client';
import {
  ActionButtons,
  ActionFeedback,
  chosen,
  commandHeader,
  required,
  RequiredSelect,
  useActionWrite,
} from './action-form';
import { EvidenceFields, filesOrNone, type EvidenceValues } from './EvidenceFields';
import type { ActionFormProps } from './types';

interface Values extends EvidenceValues {
  blockerId: string;
  resolution: string;
}

/** 解决堵点: how one of the project's open blockers was cleared. */
export function ResolveBlockerForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const { send, sending, problem } = useActionWrite(props, form);
  const open = props.project.blockers.filter((b) => b.resolvedDate === null && b.resolution === null);
  if (open.length === 0) return <Alert type="info" showIcon message="该项目没有未解决的堵点" />;
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      name="resolve-blocker"
      initialValues={open.length === 1 ? { blockerId: open[0].blockerId } : undefined}
      onFinish={(v) =>
        send((headers) =>
          api.POST('/api/projects/{id}/blockers/{blockerId}/resolution', {
            params: {
              path: { id: props.project.projectId, blockerId: v.blockerId },
              header: commandHeader(headers),
            },
            body: { resolution: v.resolution, files: filesOrNone(v) },
          }),
        )
      }
    >
      <Form.Item label="堵点" name="blockerId" rules={[chosen('要解决的堵点')]}>
        <RequiredSelect
          options={open.map((b) => ({
            value: b.blockerId,
            label: `${b.categoryLabel} · ${b.description} · ${b.responsibleDepartment} · ${b.dueDate} 前`,
          }))}
        />
      </Form.Item>
      <Form.Item label="解决情况" name="resolution" rules={[required('解决情况')]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <EvidenceFields project={props.project} extraSlot="resolution_document" extraLabel="办结材料(选填)" />
      <ActionFeedback problem={problem} onReload={props.onReload} />
      <ActionButtons sending={sending} onCancel={props.onCancel} />
    </Form>
  );
}
